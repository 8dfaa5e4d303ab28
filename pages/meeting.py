"""会议模式: one county (or a few side by side) for a budget review meeting on a projector: large
figures, last year beside this year (决算 beside 预算 where both exist), the largest changes with
the agency's own reasons, failed checks, pension share and 三公; a printable PDF report."""

from pathlib import Path

import streamlit as st

from exports.content import STAGE_ZH, brief_chart, county_brief
from pages._charts import show
from pages._shared import cursor, filters, warehouse_path
from warehouse import queries

st.markdown(
    """<style>
[data-testid=stMetricValue] { font-size: 2.6rem; }
[data-testid=stMetricLabel] p { font-size: 1.15rem; }
.reason { font-size: 1.15rem; line-height: 1.6; }
</style>""",
    unsafe_allow_html=True,
)


@st.cache_data(show_spinner=False, max_entries=64)
def brief(path: str, county: str, year: int):
    # Keyed by the warehouse file, like every cached query: a rebuilt warehouse gets a new path.
    return county_brief(cursor(), county, year, warehouse=Path(path).name)


cur = cursor()
f = filters(cur)
counties, years = queries.filter_options(cur)
c1, c2 = st.columns([3, 1])
chosen = c1.multiselect(
    "会议审阅的县（区）（最多 3 个并排）",
    counties,
    default=counties[:1],
    max_selections=3,
    key="meet_county",
    bind="query-params",
)
year = c2.selectbox("年度", sorted(years, reverse=True), key="meet_year", bind="query-params")
if not chosen:
    st.info("请选择县（区）。")
    st.stop()

cols = st.columns(len(chosen))
for col, county in zip(cols, chosen):
    with col:
        try:
            b = brief(str(warehouse_path()), county, int(year))
        except LookupError:
            st.header(county)
            st.info(f"没有 {county} {year} 年的预决算文件。")
            continue
        st.header(f"{county} {year}年{'、'.join(STAGE_ZH[s] for s in b.stages)}")
        rows = {r["key"]: r for r in b.rows}
        total = rows["total_expenditure"]
        delta = None if total["pct"] is None else f"{total['pct'] * 100:+.2f}% 比{year - 1}年"
        st.metric(
            f"本年支出合计（{f.unit}）",
            "未公开" if total["this"] is None else f"{total['this'] / f.factor:,.2f}",
            delta=delta,
            delta_color="off",
        )
        a, b2 = st.columns(2)
        for holder, key in ((a, "basic_expenditure"), (b2, "project_expenditure")):
            r = rows[key]
            holder.metric(f"{r['name']}（{f.unit}）", "未公开" if r["this"] is None else f"{r['this'] / f.factor:,.2f}")
        share = "未公开" if b.pension_share is None else f"{b.pension_share * 100:.1f}%"
        sg = rows["sangong_actual" if b.primary_stage == "final" else "sangong_budget"]["this"]
        a.metric("养老补助占比", share)
        b2.metric(f"三公经费（{f.unit}）", "未公开" if sg is None else f"{sg / f.factor:,.2f}")
        if rows["total_expenditure"]["other"] is not None:
            st.caption(f"同年预算数：{rows['total_expenditure']['other'] / f.factor:,.2f} {f.unit}")
        show(brief_chart(b, f.unit, f.factor), f"{county}_{year}_主要支出", f.image_format, key=f"meet-{county}")
        st.subheader("变化最大的项目（单位自述原因）")
        for c in b.changes[:4]:
            printed = "" if c["pct"] is None else f"（文件印 {c['pct'] * 100:+.2f}%）"
            st.markdown(
                f"<div class=reason><b>{c['subject']}</b> {c['change'] / f.factor:+,.2f} {f.unit}{printed}<br>"
                f"原因：{c['reason'] or '未说明'}</div>",
                unsafe_allow_html=True,
            )
        if not b.changes:
            st.caption("文件未与上年比较。")
        st.subheader("勾稽核验未通过")
        if b.failed_checks:
            for c in b.failed_checks:
                (st.error if c["severity"] == "high" else st.warning)(c["message"])
        else:
            st.success("全部核验通过")

        def report(county=county, year=year) -> bytes:
            import tempfile
            from pathlib import Path

            from exports.report import build_report

            with tempfile.TemporaryDirectory() as tmp:
                out = build_report(
                    cursor(), county, int(year), Path(tmp) / "r.pdf", warehouse=warehouse_path().name, unit=f.unit
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
