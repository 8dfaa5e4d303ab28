"""Plotly conventions shared by the app and the exports: a Chinese font stack, the unit in the axis
title, no M/B suffixes, and a source line under every chart."""

from __future__ import annotations

import re

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


SOURCE_LINE = 40  # characters a source line holds: about 440 px at 11 px, a chart's width at 1024 px


def wrap(text: str, width: int = SOURCE_LINE) -> list[str]:
    """A source or note line cut into lines of `width` characters (ASCII counts half), never
    inside an ASCII word: a long source line ran past the right edge of a chart at 1024 px."""
    out, line, n = [], "", 0.0
    for token in re.findall(r"[A-Za-z0-9_.\-/:%,]+|.", text):
        size = sum(0.5 if ord(ch) < 128 else 1 for ch in token)
        if n + size > width and line:
            out.append(line)
            line, n = "", 0.0
            if token == " ":
                continue
        line += token
        n += size
    return out + ([line] if line else [])


TITLE_LINE = 24  # characters of the 18 px title a line holds: a chart's plot width beside the sidebar at 1024 px
TITLE_STEP = 24  # px a further title line takes


def title_lines(title: str) -> list[str]:
    """A title that would run past the chart's right edge at 1024 px ("…（对比组 = 全部已载入，2592
    个县" was cut there) in lines: after its "：" first (measure, then view), then where it is full."""
    if sum(0.5 if ord(ch) < 128 else 1 for ch in title) <= TITLE_LINE:
        return [title]
    head, sep, tail = title.partition("：")
    if not sep or not tail:
        return wrap(title, TITLE_LINE)
    return wrap(head + sep, TITLE_LINE) + wrap(tail, TITLE_LINE)


TOP_PLAIN = 70  # px above the plot: the title
TOP_WITH_LEGEND = 120  # the title, then up to three rows of legend
LEGEND_TOP = 46  # px from the top of the figure to the legend's first row


def _legend_entries(fig: go.Figure) -> int:
    """How many entries the legend shows (a trace shows one unless showlegend is False; a single
    trace shows none by plotly's default)."""
    shown = [t for t in fig.data if getattr(t, "showlegend", False) is not False]
    if fig.layout.showlegend is False:
        return 0
    return len({t.legendgroup or t.name or id(t) for t in shown}) if (len(shown) > 1 or fig.layout.showlegend) else 0


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
    lines = wrap(f"来源：{source}") + (wrap(f"注：{note}") if note else [])
    bottom = 76 + 16 * len(lines)  # the source lines hang 55 px under the plot, 16 px a line
    # The legend has a row of its own under the title (beside it, a long title ran into it at 1024
    # px): the title hangs from the top, the legend's first row starts LEGEND_TOP px down and wraps
    # downwards into the room the top margin keeps for up to three rows.
    legend = _legend_entries(fig) > 1
    heads = title_lines(title)
    extra = TITLE_STEP * (len(heads) - 1)  # a wrapped title pushes the legend and the plot down
    top = (TOP_WITH_LEGEND if legend else TOP_PLAIN) + extra
    plot_h = max(height - top - bottom, 100)
    fig.update_layout(
        template=TEMPLATE,
        title=dict(
            text="<br>".join(plain(x) for x in heads),
            x=0,
            xref="paper",
            xanchor="left",
            yref="container",
            y=1 - 14 / height,
            yanchor="top",
            font=dict(size=18),
        ),
        font=dict(family=FONT, size=14, color="#222"),
        colorway=COLORS,
        height=height,
        margin=dict(l=70, r=30, t=top, b=bottom),
        legend=dict(
            orientation="h",
            yanchor="top",
            y=1 + (top - LEGEND_TOP - extra) / plot_h,
            xanchor="left",
            x=0,
            font=dict(size=14),
        ),
        separators=".,",
        meta=dict(source=source, unit=unit, note=note),
    )
    # The source line (and note) hang a fixed 55 px below the plot area, under the tick labels,
    # whatever the chart's height.
    plot_height = plot_h
    text = "<br>".join(plain(x) for x in lines)
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
