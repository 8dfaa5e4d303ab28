"""会议模式: one county (or a few side by side) for a budget review meeting on a projector: large
figures, last year beside this year (决算 beside 预算 where both exist), its place in the peer group,
the largest changes with the agency's own reasons, failed checks, pension share and 三公; a
printable PDF report with the same figures. Document text is shown as plain text, never HTML."""

from pathlib import Path

import polars as pl
import streamlit as st

from exports.content import brief_chart, county_brief
from pages._charts import show
from pages._format import md
from pages._shared import cursor, filters, permalink, units, warehouse_path
from rules.labels import STAGE_ZH
from rules.measures import RATE, SHARE, format_measure
from rules.units import money_text

# Our own stylesheet only (no document text): larger figures for a projector.
st.markdown(
    """<style>
[data-testid=stMetricValue] { font-size: 2.6rem; }
[data-testid=stMetricLabel] p { font-size: 1.15rem; }
</style>""",
    unsafe_allow_html=True,
)


@st.cache_data(show_spinner=False, max_entries=64)
def brief(path: str, unit_key: str, year: int, mode: str, picked: tuple):
    # Keyed by the warehouse file, like every cached query: a rebuilt warehouse gets a new path.
    return county_brief(cursor(), unit_key, year, warehouse=Path(path).name, peer_mode=mode, picked=picked)


cur = cursor()
f = filters(cur)
u = units()
labels = u["unit_label"].to_list()
key_of = dict(zip(u["unit_key"], u["unit_label"]))
c1, c2 = st.columns([3, 1])
chosen = c1.multiselect(
    "会议审阅的县（区）（最多 3 个并排）",
    labels,
    default=[key_of[k] for k in f.counties[:3] if k in key_of],
    max_selections=3,
    key="meet_county",
    bind="query-params",
)
years = sorted({y for a, b in zip(u["first_year"], u["last_year"]) for y in range(a, b + 1)}, reverse=True)
year = c2.selectbox("年度", years, index=years.index(f.cmp_year) if f.cmp_year in years else 0, key="meet_year",
                    bind="query-params")
if not chosen:
    st.info("请选择县（区）。")
    st.stop()

by_label = dict(zip(u["unit_label"], u["unit_key"]))
cols = st.columns(len(chosen))
view_link = permalink()  # the view on screen, query string included, printed in each report
for col, label in zip(cols, chosen):
    with col:
        try:
            b = brief(str(warehouse_path()), by_label[label], int(year), f.peer_mode, f.picked)
        except LookupError:
            st.header(md(label))
            st.info(f"没有 {md(label)} {year} 年的预决算文件。")
            continue
        county = b.county
        st.header(f"{md(label)} {year}年{'、'.join(STAGE_ZH[s] for s in b.stages)}")
        rows = {r["key"]: r for r in b.rows}
        total = rows["total_expenditure"]
        delta = None if total["pct"] is None else f"{format_measure(total['pct'], RATE)} 比{year - 1}年"
        st.metric(
            f"本年支出合计（{f.unit}）",
            money_text(total["this"], f.factor),
            delta=delta,
            delta_color="off",
        )
        a, b2 = st.columns(2)
        for holder, key in ((a, "basic_expenditure"), (b2, "project_expenditure")):
            r = rows[key]
            holder.metric(f"{r['name']}（{f.unit}）", money_text(r["this"], f.factor))
        share = format_measure(b.pension_share, SHARE)
        sg = rows["sangong_actual" if b.primary_stage == "final" else "sangong_budget"]["this"]
        a.metric("养老补助占比", share)
        b2.metric(f"三公经费（{f.unit}）", money_text(sg, f.factor))
        if rows["total_expenditure"]["other"] is not None:
            st.caption(f"同年预算数：{money_text(rows['total_expenditure']['other'], f.factor)} {f.unit}")
        show(brief_chart(b, f.unit, f.factor), f"{label}_{year}_主要支出", f.image_format, key=f"meet-{label}")
        if b.peers:
            st.subheader(f"在对比组中的位置（{b.peer_zh}）")
            st.dataframe(
                pl.DataFrame(
                    [
                        {
                            "指标": r["label"],
                            "本县": format_measure(r["value"], r["kind"], f.factor),
                            "对比组中位数": format_measure(r["median"], r["kind"], f.factor),
                            "排名": f"第 {r['rank']} / {r['n']}",
                        }
                        for r in b.peers
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        st.subheader("变化最大的项目（单位自述原因）")
        for c in b.changes[:4]:
            printed = "" if c["pct"] is None else f"（文件印 {format_measure(c['pct'], RATE)}）"
            st.markdown(f"#### {md(c['subject'])} {money_text(c['change'], f.factor, signed=True)} {f.unit}{printed}")
            st.markdown(f"原因：{md(c['reason'] or '未说明')}")
        if not b.changes:
            st.caption("文件未与上年比较。")
        st.subheader("勾稽核验未通过")
        if b.failed_checks:
            for c in b.failed_checks:
                (st.error if c["severity"] == "high" else st.warning)(md(c["message"]))
        else:
            st.success("全部核验通过")

        def report(label=label, year=year, link=view_link) -> bytes:
            import tempfile
            from pathlib import Path

            from exports.report import build_report

            with tempfile.TemporaryDirectory() as tmp:
                out = build_report(
                    cursor(),
                    by_label[label],
                    int(year),
                    Path(tmp) / "r.pdf",
                    warehouse=warehouse_path().name,
                    unit=f.unit,
                    peer_mode=f.peer_mode,
                    picked=f.picked,
                    link=link,
                )
                return out.read_bytes()

        st.download_button(
            "下载会议报告（PDF，A4）",
            data=report,
            file_name=f"{county}_{year}_社保经费简报.pdf",
            mime="application/pdf",
            on_click="ignore",
            key=f"report-{county}",
            type="primary",
        )
st.caption("打印：使用“下载会议报告”，A4 版含页码、每个数字的来源注释、生成日期和数据仓库版本。")
