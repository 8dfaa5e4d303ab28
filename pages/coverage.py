"""数据覆盖: which county-years are loaded (budget, final, both, neither) for the peer group, and
per document its completeness score and failed checks. The heatmap shows counties when there are
at most 40 of them, else their provinces (or prefectures), so no axis carries more than 40 labels."""

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from pages._charts import show, style
from pages._format import chart_text, mapped, zh_stage
from pages._shared import cursor, empty_state, filters, peer
from pages._tables import show_table
from rules.labels import COVERAGE_GAP_ZH, STAGE_ZH, check_name_zh

MAX_LABELS = 40
# A stage a unit published only as a page without figures (the ETL refused it: its tables are in
# an attachment): published, not loaded.
PUBLISHED_WITHOUT_FIGURES = "已公开，表格在附件中（未载入）"
STATUS = {3: "预算与决算", 2: "仅决算", 1: "仅预算", 0: "均未载入"}
YEARS_ON_SCREEN = 5  # matrix columns on screen: the county and five years fit 564 px (1024 px)
W = st.column_config.Column


def gaps(grid: pl.DataFrame, year: int, gap: str) -> pl.DataFrame:
    """The peer counties that lack `gap` (budget, final, any = either one, both = neither) in `year`."""
    row = grid.filter(pl.col("fiscal_year") == year)
    has_b, has_f = pl.col("has_budget").fill_null(False), pl.col("has_final").fill_null(False)
    lacks = {"budget": ~has_b, "final": ~has_f, "any": ~has_b | ~has_f, "both": ~has_b & ~has_f}[gap]
    return row.filter(lacks).sort(["province", "prefecture", "unit_label"])


def published_flags(published: pl.DataFrame) -> pl.DataFrame:
    """published_budget / published_final per unit and year, from the pages without figures."""
    return published.group_by(["unit_label", "fiscal_year"]).agg(
        (pl.col("stage") == stage).any().alias(f"published_{stage}") for stage in ("budget", "final")
    )


def missing_counties(grid: pl.DataFrame, years: list[int]) -> None:
    """ "Which counties lack year X (budget, final)": the answer as a list, with CSV/XLSX."""
    st.subheader("缺少某年文件的县")
    c1, c2 = st.columns(2)
    year = c1.selectbox("年度", years, index=len(years) - 1, key="gap_year", bind="query-params")
    gap = c2.radio("缺少", list(COVERAGE_GAP_ZH.values()), key="gap_stage", horizontal=True, bind="query-params")
    key = {v: k for k, v in COVERAGE_GAP_ZH.items()}[gap]
    lacking = gaps(grid, int(year), key)
    st.caption(f"{year} 年缺少{gap}文件的县：{lacking.height} / {grid['unit_label'].n_unique()} 个。")
    if lacking.is_empty():
        return
    published = lacking.filter(pl.col("published_budget").fill_null(False) | pl.col("published_final").fill_null(False))
    if not published.is_empty():
        st.caption(f"其中 {published.height} 个县的网页已公开但只有说明、没有数字（表格在附件中，未载入）。")
    table = lacking.select(
        pl.col("unit_label").alias("县（区）"),
        pl.col("prefecture").alias("地市"),
        pl.col("province").alias("省"),
        *[
            pl.when(pl.col(f"has_{stage}").fill_null(False))
            .then(pl.lit("有"))
            .when(pl.col(f"published_{stage}").fill_null(False))
            .then(pl.lit(PUBLISHED_WITHOUT_FIGURES))
            .otherwise(pl.lit("无"))
            .alias(STAGE_ZH[stage])
            for stage in ("budget", "final")
        ],
    )
    show_table(table, f"缺少{year}年{gap}文件的县", key="coverage-gaps", height=min(360, 38 + 35 * table.height))


cur = cursor()
f = filters(cur)
st.title("数据覆盖")
cov = peer("coverage", f)
units = peer("peer_units", f)
if cov.is_empty():
    empty_state("没有已载入的文件", "对比组中没有已载入的文件。")
    st.stop()
years = list(f.years) or list(range(int(cov["fiscal_year"].min()), int(cov["fiscal_year"].max()) + 1))
grid = (
    units.select(["unit_label", "province", "prefecture"])
    .join(pl.DataFrame({"fiscal_year": years}, schema={"fiscal_year": pl.Int32}), how="cross")
    .join(
        cov.select(["unit_label", "fiscal_year", "has_budget", "has_final"]),
        on=["unit_label", "fiscal_year"],
        how="left",
    )
    .with_columns(
        (
            pl.col("has_budget").fill_null(False).cast(pl.Int8) + 2 * pl.col("has_final").fill_null(False).cast(pl.Int8)
        ).alias("code")
    )
    .join(published_flags(peer("published_without_figures", f)), on=["unit_label", "fiscal_year"], how="left")
)
span = "、".join(map(str, years)) if f.years else f"{years[0]}–{years[-1]}"
st.caption(f"对比组 = {f.peer_zh}：{units.height} 个县（区），{span} 年{'（侧栏所选年度）' if f.years else ''}。")
colors = [
    [0, "#eeeeee"],
    [0.25, "#eeeeee"],
    [0.25, "#9cc3e6"],
    [0.5, "#9cc3e6"],
    [0.5, "#f4b183"],
    [0.75, "#f4b183"],
    [0.75, "#1f5aa6"],
    [1, "#1f5aa6"],
]
if units.height <= MAX_LABELS:
    wide = grid.pivot(on="fiscal_year", index="unit_label", values="code").sort("unit_label")
    fig = go.Figure(
        go.Heatmap(
            z=wide.select([str(y) for y in years]).to_numpy(),
            x=years,
            y=[chart_text(x) for x in wide["unit_label"]],
            zmin=0,
            zmax=3,
            colorscale=colors,
            xgap=2,
            ygap=2,
            colorbar=dict(tickvals=[0.375, 1.125, 1.875, 2.625], ticktext=[STATUS[i] for i in range(4)]),
            hovertemplate="%{y} %{x}<extra></extra>",
        )
    )
    title, height = "各县各年度已载入的文件", 200 + 26 * wide.height
else:
    level = (
        "prefecture" if grid["province"].n_unique() == 1 and grid["prefecture"].n_unique() <= MAX_LABELS else "province"
    )
    agg = grid.group_by([level, "fiscal_year"]).agg(
        (pl.col("code") == 3).mean().alias("both"), pl.len().alias("n"), (pl.col("code") > 0).sum().alias("any")
    )
    wide = agg.pivot(on="fiscal_year", index=level, values="both").sort(level)
    fig = go.Figure(
        go.Heatmap(
            z=wide.select([str(y) for y in years]).to_numpy(),
            x=years,
            y=[chart_text(x) for x in wide[level].fill_null("（未识别）")],
            zmin=0,
            zmax=1,
            colorscale="Blues",
            xgap=2,
            ygap=2,
            colorbar=dict(title="预算与决算<br>均载入的县", tickformat=".0%"),
            hovertemplate="%{y} %{x}：%{z:.0%}<extra></extra>",
        )
    )
    title, height = (
        f"各{'地市' if level == 'prefecture' else '省'}各年度预算与决算均已载入的县所占比例",
        200 + 22 * wide.height,
    )
style(fig, title=title, unit=None, source="本看板数据仓库已载入的文档清单", height=height, y_is_amount=False)
fig.update_xaxes(dtick=1, side="top")
fig.update_yaxes(autorange="reversed", type="category")
show(
    fig,
    "数据覆盖",
    f.image_format,
    key="coverage",
    data=grid.drop("code").with_columns(
        pl.col(c).fill_null(False) for c in ("has_budget", "has_final", "published_budget", "published_final")
    ),
    sources=["本看板数据仓库已载入的文档清单"],
)

missing_counties(grid, years)

st.subheader("覆盖矩阵（每县每年）")
matrix = (
    grid.with_columns(pl.col("code").replace_strict(STATUS, return_dtype=pl.Utf8).alias("status"))
    .pivot(on="fiscal_year", index=["unit_label", "province", "prefecture"], values="status")
    .sort(["province", "prefecture", "unit_label"])
)
years_shown = [c for c in matrix.columns if c.isdigit()][-YEARS_ON_SCREEN:]
if len(matrix.columns) - 3 > len(years_shown):
    st.caption(f"表中为最近 {len(years_shown)} 个年度；全部年度与省、地市见下载的表格。")
show_table(
    matrix.rename({"unit_label": "县（区）", "province": "省", "prefecture": "地市"}),
    f"数据覆盖_{f.peer_zh}",
    key="coverage-matrix",
    height=360,
    column_order=["县（区）", *years_shown],
    column_config={"县（区）": W(width=110), **{y: W(f"{y}年", width=85) for y in years_shown}},
)

st.subheader(f"每份文件的完整性与未通过的核验（{'、'.join(map(str, f.years)) if f.years else f.cmp_year} 年）")
quality = peer("doc_quality", f, years=list(f.years) or ([f.cmp_year] if f.cmp_year else []))
show_table(
    zh_stage(quality)
    .with_columns(
        (pl.col("completeness_score").cast(pl.Float64) * 100).round(0),
        mapped(quality, "failed_checks", lambda x: "、".join(check_name_zh(n) for n in x.split("、"))),
    )
    .rename(
        {
            "unit_label": "县（区）",
            "fiscal_year": "年度",
            "stage": "阶段",
            "completeness_score": "完整性(%)",
            "checks_failed": "未通过核验",
            "failed_checks": "未通过的核验",
            "doc_file": "文件",
        }
    ),
    "文件完整性与核验",
    key="coverage-quality",
    height=360,
    column_order=["县（区）", "年度", "阶段", "完整性(%)", "未通过核验", "未通过的核验"],  # 文件 in the download
    column_config={
        "县（区）": W(width=85),
        "年度": W(width=50),
        "阶段": W(width=50),
        "完整性(%)": W(width=80),
        "未通过核验": W("不符项数", width=75, help="未通过核验"),
        "未通过的核验": W(width=210),
    },
)
