"""Plotly conventions for every chart: a Chinese font stack, the unit in the axis title, 万/亿
instead of M/B, a source line under the plot, and modebar image export with a meaningful name."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import streamlit as st

FONT = "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, PingFang SC, Microsoft YaHei, sans-serif"
COLORS = ["#1f5aa6", "#e07b39", "#3a9e6f", "#c23b3b", "#7b5ea7", "#8c6d46", "#d16ba5", "#5f6b73", "#b5a33a"]
# Not disclosed is drawn as an outline; a printed zero as a solid sliver with its label.
NOT_DISCLOSED_PATTERN = dict(shape="/", fgcolor="#9aa3ab", bgcolor="rgba(0,0,0,0)")


def style(
    fig: go.Figure,
    *,
    title: str,
    unit: str | None,
    source: str,
    height: int = 420,
    y_is_amount: bool = True,
    percent: bool = False,
) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        title=dict(text=title, x=0, xanchor="left", font=dict(size=18)),
        font=dict(family=FONT, size=14, color="#222"),
        colorway=COLORS,
        height=height,
        margin=dict(l=70, r=30, t=70, b=110),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
        separators=".,",
    )
    # The source line sits a fixed distance below the plot area whatever the chart's height.
    plot_height = max(height - 70 - 110, 100)
    fig.add_annotation(
        text=f"来源：{source}",
        xref="paper",
        yref="paper",
        x=0,
        y=-(110 - 22) / plot_height,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font=dict(size=11, color="#666"),
        align="left",
    )
    axis = dict(exponentformat="none", separatethousands=True, gridcolor="#e5e5e5")
    if percent:
        fig.update_yaxes(tickformat=".0%", title_text="占比（%）", **axis)
    elif y_is_amount:
        fig.update_yaxes(title_text=f"金额（{unit}）", **axis)
    return fig


def show(fig: go.Figure, filename: str, image_format: str = "png", key: str | None = None) -> None:
    safe = re.sub(r"[\\/:*?\"<>|\s]+", "_", filename).strip("_")
    st.plotly_chart(
        fig,
        theme=None,
        key=key,
        config={
            "displaylogo": False,
            "toImageButtonOptions": {"format": image_format, "filename": safe, "scale": 2},
            "locale": "zh-CN",
        },
    )


def fmt_amount(value, unit: str) -> str:
    return "未公开" if value is None else f"{value:,.2f} {unit}"
