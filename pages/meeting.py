"""会议模式: one to three counties for a budget review meeting on a projector (1024×768 up to
1920×1080): large figures that reflow rather than squeeze (nothing is cut with an ellipsis), one
chart with one y scale for all the counties, their places in the peer group in one table, the
largest changes with the agency's own reasons and failed checks; each county at the chosen year
or, without a document that year, at its latest, with the year said; one PDF for the counties on
screen. The sidebar folds to a strip at the left edge and slides in under the pointer. Document
text is shown as plain text, never HTML."""

from pathlib import Path

import polars as pl
import streamlit as st

from exports.content import Brief, county_brief, meeting_chart
from pages._charts import show
from pages._format import md
from pages._shared import cursor, filters, limited_multiselect, permalink, units, warehouse_path
from rules.labels import SEVERITY_ZH, STAGE_ZH
from rules.measures import RATE, SHARE, STATED_CHANGE_ZH, format_measure
from rules.units import money_text

BLOCK_WIDTH = 400  # px: a county's block; two fit side by side at 1024 px, three at 1920; more wrap below
FIGURES = ("total_expenditure", "basic_expenditure", "project_expenditure")

# Our own stylesheet only (no document text): larger figures and table text for a projector; a
# metric is as wide as its text (no ellipsis), metrics wrap onto the next line instead.
st.markdown(
    """<style>
[data-testid=stMetricValue] { font-size: 2.4rem; }
[data-testid=stMetricValue] > div, [data-testid=stMetricLabel] p { overflow: visible; text-overflow: clip;
  white-space: nowrap; }
[data-testid=stMetricLabel] p { font-size: 1.15rem; }
[data-testid=stTable] td, [data-testid=stTable] th { font-size: 1.05rem; }
/* The sidebar folds to a 16 px strip at the left edge over the page (out of the layout, so the
   counties get the whole width) and slides in while the pointer or keyboard focus is on it. This
   page's stylesheet only: other pages keep their sidebar as the user left it. */
section[data-testid=stSidebar] { position: fixed !important; left: 0; top: 0; height: 100vh; z-index: 999990;
  transform: translateX(calc(-100% + 16px)); transition: transform 0.15s ease-out;
  box-shadow: 2px 0 6px rgba(0, 0, 0, 0.15); }
section[data-testid=stSidebar]:hover, section[data-testid=stSidebar]:focus-within { transform: none; }
</style>""",
    unsafe_allow_html=True,
)


@st.cache_data(show_spinner=False, max_entries=64)
def brief(path: str, unit_key: str, year: int, mode: str, picked: tuple) -> Brief:
    # Keyed by the warehouse file, like every cached query: a rebuilt warehouse gets a new path.
    return county_brief(cursor(), unit_key, year, warehouse=Path(path).name, peer_mode=mode, picked=picked)


def brief_at(key: str, year: int, last_year: int | None) -> tuple[Brief | None, int | None]:
    """The county at the chosen year, else at its latest year with a document."""
    path = str(warehouse_path())
    for y in dict.fromkeys([year, last_year]):
        if y is None:
            continue
        try:
            return brief(path, key, int(y), f.peer_mode, f.picked), int(y)
        except LookupError:
            continue
    return None, None


def county_block(label: str, b: Brief, shown_year: int) -> None:
    st.subheader(f"{md(label)} {shown_year}年{'、'.join(STAGE_ZH[s] for s in b.stages)}")
    if shown_year != year:
        st.caption(f"没有 {year} 年的文件：显示最近的 {shown_year} 年。")
    rows = {r["key"]: r for r in b.rows}
    figures = st.container(horizontal=True, gap="medium")
    for key in FIGURES:
        r = rows[key]
        delta = None
        if key == "total_expenditure" and r["pct"] is not None:
            delta = f"{format_measure(r['pct'], RATE)} 比{shown_year - 1}年"
        figures.metric(
            f"{r['name']}（{f.unit}）", money_text(r["this"], f.factor), delta=delta, delta_color="off", width="content"
        )
    for s in b.stated[:2]:  # the document's own headline changes, beside the strict YoY above
        figures.metric(
            f"{STATED_CHANGE_ZH}·{s['figure_zh']}", format_measure(s["pct_signed_frac"], RATE), width="content"
        )
    sg = rows["sangong_actual" if b.primary_stage == "final" else "sangong_budget"]["this"]
    figures.metric("养老补助占比", format_measure(b.pension_share, SHARE), width="content")
    figures.metric(f"三公经费（{f.unit}）", money_text(sg, f.factor), width="content")
    if rows["total_expenditure"]["other"] is not None:
        st.caption(f"同年预算数：{money_text(rows['total_expenditure']['other'], f.factor)} {f.unit}")
    st.markdown("**变化最大的项目（单位自述原因）**")
    for c in b.changes[:3]:
        printed = "" if c["pct"] is None else f"（文件印 {format_measure(c['pct'], RATE)}）"
        st.markdown(f"**{md(c['subject'])}** {money_text(c['change'], f.factor, signed=True)} {f.unit}{printed}")
        st.markdown(f"原因：{md(c['reason'] or '未说明')}")
    if not b.changes:
        st.caption("文件未与上年比较。")
    st.markdown("**勾稽核验（未通过的项）**" if b.failed_checks else "**勾稽核验**")
    if b.failed_checks:
        for c in b.failed_checks[:4]:
            st.markdown(f"- {SEVERITY_ZH.get(c['severity'], '')}：{md(c['message'])}")
        if len(b.failed_checks) > 4:
            st.caption(f"另有 {len(b.failed_checks) - 4} 项，见“数据核验”页或会议报告。")
    else:
        st.caption("全部核验通过。")


def peer_table(shown: list[tuple[str, Brief]]) -> pl.DataFrame:
    """One row per headline measure, for each county its value and rank (第 k / n) in its peer group."""
    measures: dict[str, dict] = {}
    for label, b in shown:
        for r in b.peers:
            row = measures.setdefault(r["label"], {"指标": r["label"]})
            row[label] = format_measure(r["value"], r["kind"], f.factor)
            row[f"{label} 排名"] = f"第 {r['rank']} / {r['n']}" if r["rank"] is not None else "—"
    columns = ["指标"] + [c for label, _ in shown for c in (label, f"{label} 排名")]
    return pl.DataFrame([{c: m.get(c, "—") for c in columns} for m in measures.values()], schema=columns)


cur = cursor()
f = filters(cur)
u = units()
labels = u["unit_label"].to_list()
key_of = dict(zip(u["unit_key"], u["unit_label"]))
last_of = dict(zip(u["unit_label"], u["last_year"]))
controls = st.container(horizontal=True, gap="medium")
chosen = limited_multiselect(
    controls,
    "会议审阅的县（区）（最多 3 个）",
    labels,
    default=[key_of[k] for k in f.counties[:3] if k in key_of],
    limit=3,
    notes=st,
    placeholder="选择县（区）",
    key="meet_county",
    bind="query-params",
    width=560,
)
years = sorted({y for a, b in zip(u["first_year"], u["last_year"]) for y in range(a, b + 1)}, reverse=True)
year = controls.selectbox(
    "年度",
    years,
    index=years.index(f.cmp_year) if f.cmp_year in years else 0,
    key="meet_year",
    bind="query-params",
    width=160,
)
if not chosen:
    st.info("请选择县（区）。")
    st.stop()

by_label = dict(zip(u["unit_label"], u["unit_key"]))
shown: list[tuple[str, Brief]] = []
at_year: list[tuple[str, int]] = []
blocks = st.container(horizontal=True, gap="medium")
for label in chosen:
    b, shown_year = brief_at(by_label[label], int(year), last_of.get(label))
    with blocks.container(width=BLOCK_WIDTH, border=True):
        if b is None:
            st.subheader(md(label))
            st.info(f"{md(label)} 没有已载入的预决算文件。")
            continue
        county_block(label, b, shown_year)
    shown.append((label, b))
    at_year.append((by_label[label], shown_year))
if not shown:
    st.stop()

show(
    meeting_chart([b for _, b in shown], f.unit, f.factor),
    f"会议_主要支出_{'_'.join(chosen)}",
    f.image_format,
    key="meet-chart",
)
st.subheader(f"在对比组中的位置（{shown[0][1].peer_zh}）")
table = peer_table(shown)
if table.height:
    st.table(table, hide_index=True)
    st.caption("排名：第 1 = 最高；未公开的数不参与排名（不当作 0）。")
else:
    st.caption("对比组中没有可比较的数。")

view_link = permalink()  # the view on screen, query string included, printed in the report


def report() -> bytes:
    import tempfile

    from exports.report import build_meeting_report

    with tempfile.TemporaryDirectory() as tmp:
        out = build_meeting_report(
            cursor(),
            at_year,
            Path(tmp) / "r.pdf",
            warehouse=warehouse_path().name,
            unit=f.unit,
            peer_mode=f.peer_mode,
            picked=f.picked,
            link=view_link,
        )
        return out.read_bytes()


st.download_button(
    "下载会议报告（PDF，A4）",
    data=report,
    file_name=f"{'_'.join(f'{lb}_{y}' for (lb, _), (_, y) in zip(shown, at_year))}_社保经费简报.pdf",
    mime="application/pdf",
    on_click="ignore",
    key="report-meeting",
    type="primary",
)
st.caption(
    f"会议报告：所示 {len(shown)} 个县合为一份 A4 PDF，含页码、每个数字的来源注释、本视图链接、生成日期和数据仓库版本。"
)
