"""Charts on the page: the shared plotly style (exports.figures) plus modebar export with a
meaningful file name and a ZIP bundle of the chart and its data."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from exports.figures import COLORS, FONT, NOT_DISCLOSED_PATTERN, style  # noqa: F401  (re-exported for pages)
from pages._format import safe_name
from rules.labels import PLOTLY_LOCALE_ZH_CN


def show(
    fig: go.Figure | dict,
    filename: str,
    image_format: str = "png",
    key: str | None = None,
    data: pl.DataFrame | None = None,
    sources: list[str] | None = None,
    on_select=None,
    config: dict | None = None,
) -> None:
    """A chart with the project's toolbar (PNG/SVG named after the view, Chinese locale) and, with
    data, the download bundle beside it; `config` adds plotly options for one chart."""
    extra = dict(on_select=on_select, selection_mode="points") if on_select else {}
    st.plotly_chart(
        fig,
        theme=None,
        key=key,
        **extra,
        config={
            "displaylogo": False,
            "toImageButtonOptions": {"format": image_format, "filename": safe_name(filename), "scale": 2},
            "locale": "zh-CN",
            "locales": {"zh-CN": PLOTLY_LOCALE_ZH_CN},  # Streamlit's plotly bundle registers no locale
            **(config or {}),
        },
    )
    if data is not None:
        from exports.bundle import make_bundle
        from pages._shared import build_date, permalink

        link, built = permalink(), build_date()
        st.download_button(
            "下载数据包（图 PNG/SVG + 数据 CSV/Excel + 引用）",
            data=lambda: make_bundle(
                go.Figure(fig), data, safe_name(filename), sources=sources or [], permalink=link, built=built
            ),
            file_name=f"{safe_name(filename)}.zip",
            mime="application/zip",
            on_click="ignore",
            key=f"bundle-{key or safe_name(filename)}",
        )


def short_ticks(fig: go.Figure, labels: list[str]) -> None:
    """Per-document axes of one county: ticks read '2024 / 预算' and the county moves into the title
    ('七里河区 2024预算' twenty times, rotated, ran into the source line). Data and hover keep
    the full label."""
    labels = list(dict.fromkeys(labels))
    heads = {x.split(" ", 1)[0] for x in labels}
    if not all(" " in x for x in labels):
        return
    if len(heads) != 1:
        # Several counties: county over '2024预算', upright. Rotated, the labels ran into the source
        # line under the plot at 1024 px.
        text = [x.replace(" ", "<br>", 1) for x in labels]
        fig.update_xaxes(tickmode="array", tickvals=labels, ticktext=text, tickangle=0, tickfont=dict(size=14))
        return
    # Year over stage, two short lines, upright: they fit above the source line, which hangs a
    # fixed distance under the plot (exports.figures.style).
    ticks = [x.split(" ", 1)[1] for x in labels]
    # The year is written once, over its first stage: "2015 2015" side by side ran together.
    text = [("" if i and ticks[i - 1][:4] == t[:4] else t[:4]) + "<br>" + t[4:] for i, t in enumerate(ticks)]
    fig.update_xaxes(tickmode="array", tickvals=labels, ticktext=text, tickangle=0, tickfont=dict(size=14))
    fig.update_layout(title_text=f"{fig.layout.title.text}（{heads.pop()}）")
