"""Plotly conventions shared by the app and the exports: a Chinese font stack, the unit in the axis
title, no M/B suffixes, and a source line under every chart."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# The built-in templates are large: applying "plotly_white" to a figure cost ~100 ms (validated
# and copied every time), more than the rest of a page. A small template of our own, built once,
# and no default template on new figures.
pio.templates.default = "none"
_AXIS = dict(gridcolor="#e5e5e5", linecolor="#b0b0b0", zerolinecolor="#d0d0d0", ticks="", automargin=True)
TEMPLATE = go.layout.Template(
    layout=dict(paper_bgcolor="white", plot_bgcolor="white", xaxis=_AXIS, yaxis=_AXIS, hovermode="closest")
)

FONT = "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, PingFang SC, Microsoft YaHei, sans-serif"
COLORS = ["#1f5aa6", "#e07b39", "#3a9e6f", "#c23b3b", "#7b5ea7", "#8c6d46", "#d16ba5", "#5f6b73", "#b5a33a"]
NOT_DISCLOSED_PATTERN = dict(shape="/", fgcolor="#9aa3ab", bgcolor="rgba(0,0,0,0)")


def plain(text) -> str:
    """Text for plotly, which renders a subset of HTML (<a href>, <b>, <br>): < > & become entities
    so document text (unit names, file names) shows literally and never becomes a link."""
    return "" if text is None else str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def style(
    fig: go.Figure,
    *,
    title: str,
    unit: str | None,
    source: str,
    height: int = 420,
    y_is_amount: bool = True,
    percent: bool = False,
    note: str | None = None,
) -> go.Figure:
    bottom = 130 if note else 100
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=plain(title), x=0, xref="paper", xanchor="left", font=dict(size=18)),
        font=dict(family=FONT, size=14, color="#222"),
        colorway=COLORS,
        height=height,
        margin=dict(l=70, r=30, t=70, b=bottom),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
        separators=".,",
        meta=dict(source=source, unit=unit, note=note),
    )
    # The source line (and note) hang a fixed 55 px below the plot area, under the tick labels,
    # whatever the chart's height.
    plot_height = max(height - 70 - bottom, 100)
    text = f"来源：{plain(source)}" + (f"<br>注：{plain(note)}" if note else "")
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0,
        y=-55 / plot_height,
        xanchor="left",
        yanchor="top",
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
