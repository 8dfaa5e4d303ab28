"""查看原文: one table figure of a document where it was printed. A PDF figure: its page rendered
(pypdfium2) with the cell's box (core_table_facts.box_*_pt, query `fact_box`) drawn on it, and the
row enlarged; a text, HTML, Excel or Word figure: its line or row among the lines around it (query
`source_context`). The document and the figure are in the URL (`?doc=<doc_id>&fact=<key>`), so a
link opens the same cell. Documents are picked by province, then county (or unit), then document:
a national warehouse holds some 50,000 documents, too many for one list in the browser."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pypdfium2 as pdfium
import streamlit as st
from PIL import Image, ImageDraw

from pages._format import column_zh, md
from pages._shared import cursor, empty_state
from rules.labels import STAGE_ZH
from warehouse import queries

SCALE = 2.0  # rendered pixels per PDF point
PAD = 3.0  # points around the cell's box
HIGHLIGHT = (220, 38, 38, 255)
FILL = (250, 204, 21, 80)
RADIUS = 4  # lines of context either side of a text figure


def _points_to_pixels(box: tuple[float, float, float, float], size: tuple[float, float], img: Image.Image):
    sx, sy = img.width / size[0], img.height / size[1]
    x0, top, x1, bottom = box
    return ((x0 - PAD) * sx, (top - PAD) * sy, (x1 + PAD) * sx, (bottom + PAD) * sy)


@st.cache_data(show_spinner=False, max_entries=32)
def highlighted_page(path: str, page: int, box: tuple, size: tuple) -> tuple[bytes, bytes]:
    """The page as PNG with the cell's box drawn on it, and the band of the page around the cell."""
    pdf = pdfium.PdfDocument(path)
    try:
        p = pdf[page - 1]
        try:
            img = p.render(scale=SCALE).to_pil().convert("RGB")
        finally:
            p.close()
    finally:
        pdf.close()
    rect = _points_to_pixels(box, size, img)
    overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    ImageDraw.Draw(overlay).rectangle(rect, outline=HIGHLIGHT, fill=FILL, width=4)
    img = Image.alpha_composite(img.convert("RGBA"), overlay).convert("RGB")
    band = img.crop((0, max(0, int(rect[1] - 90 * SCALE)), img.width, min(img.height, int(rect[3] + 90 * SCALE))))
    return _png(img), _png(band)


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _doc_label(r: dict) -> str:
    who = r["county"] or r["unit_name"] or "未识别"
    return f"{who} {r['fiscal_year'] or ''}{STAGE_ZH.get(r['stage'] or '', '')} · {r['primary_file']}"


def _amount(r: dict) -> str:
    """The figure as printed; else (a warehouse that keeps no printed text) its amount in 元."""
    if r["amount_printed"]:
        return f"{r['amount_printed']} {r.get('printed_unit') or ''}".strip()
    return "—" if r["amount_yuan"] is None else f"{r['amount_yuan']:,.2f} 元"


def _fact_label(r: dict) -> str:
    where = f"第 {r['page']} 页" if r["line"] is None else f"第 {r['line']} 行"
    column = column_zh(r["measure"])
    return f"{r['table_title'] or '表'} · {r['row_label'] or '（无行名）'} · {column} = {_amount(r)}（{where}）"


def _pick(options: list[str], param: str, label: str, fmt) -> str:
    """A selectbox whose choice is the URL parameter `param` (kept in the URL as it changes)."""
    wanted = st.query_params.get(param)
    index = options.index(wanted) if wanted in options else 0
    choice = st.selectbox(label, options, index=index, format_func=fmt)
    st.query_params[param] = choice
    return choice


def _show_pdf(fact: dict) -> None:
    path = Path(fact["file_path"] or "")
    if not path.is_file():
        st.info(f"原文件不在本机，无法显示页面：{md(fact['source_file'])}")
        return
    box = (fact["x0"], fact["top"], fact["x1"], fact["bottom"])
    page_png, band_png = highlighted_page(str(path), int(fact["page"]), box, (fact["page_width"], fact["page_height"]))
    st.caption(
        f"{md(fact['source_file'])} 第 {fact['page']} 页；红框为该数字所在单元格"
        f"（x {fact['x0']:.1f}–{fact['x1']:.1f}，y {fact['top']:.1f}–{fact['bottom']:.1f}，单位：PDF 点）。"
    )
    st.image(band_png, caption="单元格所在位置（放大）", width="stretch")
    st.image(page_png, caption=f"第 {fact['page']} 页全页", width="stretch")


def _show_context(cur, doc_id: str, fact: dict) -> bool:
    """The figure's table row and the lines around it; False when the warehouse holds neither."""
    row = queries.run(
        cur,
        "fact_row_cells",
        doc_id=doc_id,
        table_id=fact["table_id"],
        page=fact["page"],
        row_index=fact["row_index"],
        line=fact["line"],
    )
    if not row.is_empty():
        st.markdown("**该数字所在的表格行**")
        target = fact["col_index"] if fact["col_index"] is not None else -1
        cells = row.with_columns(
            pl.when(pl.col("col_index") == target).then(pl.lit("▶ 本数字")).otherwise(pl.lit("")).alias("标记")
        ).select((pl.col("col_index") + 1).alias("第几列"), pl.col("text").alias("单元格"), "标记")
        st.dataframe(cells, hide_index=True, width="stretch")
    ctx = queries.run(cur, "source_context", doc_id=doc_id, page=fact["page"], line=fact["line"], radius=RADIUS)
    if ctx.is_empty():
        return not row.is_empty()
    lines = [
        ("▶ " if r["line"] == fact["line"] and fact["line"] is not None else "  ")
        + (f"{r['line']:>5}  " if r["line"] is not None else "")
        + (r["text"] or "")
        for r in ctx.iter_rows(named=True)
    ]
    where = f"第 {fact['line']} 行前后" if fact["line"] is not None else f"第 {fact['page']} 页"
    st.markdown(f"**原文上下文（{where}；▶ 为该数字所在行）**")
    st.code("\n".join(lines), language=None)
    return True


def _where(cur) -> tuple[str, str] | None:
    """Province and place of the document to show: the one picked on this page, else the URL's
    document (a link opens its place), else the first place listed."""
    places = queries.run(cur, "evidence_places")
    if places.is_empty():
        return None
    wanted = st.query_params.get("doc")
    # A link (or a page switch) names a document other than the one last shown here: open its place.
    if wanted and (wanted != st.session_state.get("ev_doc_seen") or "ev_prov" not in st.session_state):
        home = queries.run(cur, "evidence_document", doc_id=wanted)
        if not home.is_empty():
            st.session_state["ev_prov"], st.session_state["ev_place"] = home.row(0)[1:]
    provinces = places["province"].unique(maintain_order=True).to_list()
    if st.session_state.get("ev_prov") not in provinces:  # a rebuilt warehouse may no longer hold it
        st.session_state.pop("ev_prov", None)
    a, b = st.columns(2)
    province = a.selectbox("省份", provinces, key="ev_prov", on_change=lambda: st.session_state.pop("ev_place", None))
    here = places.filter(pl.col("province") == province)
    n_docs = dict(zip(here["place"], here["n_docs"]))
    if st.session_state.get("ev_place") not in n_docs:
        st.session_state.pop("ev_place", None)
    place = b.selectbox(
        "县（区）或单位", list(n_docs), key="ev_place", format_func=lambda p: f"{p}（{n_docs[p]} 份文件）"
    )
    return province, place


cur = cursor()
st.title("查看原文")
st.caption(
    "选择文档与数字，查看它在原文件中的位置：PDF 显示页面并以红框标出单元格；文本、网页、Excel、Word 显示所在行及上下文。"
)
where = _where(cur)
if where is None:
    empty_state("没有文档", "数据仓库中没有已载入的文件。")
    st.stop()
docs = queries.run(cur, "evidence_documents", province=where[0], place=where[1])
by_doc = {r["doc_id"]: r for r in docs.iter_rows(named=True)}
doc_id = _pick(list(by_doc), "doc", "文档", lambda d: _doc_label(by_doc[d]))
st.session_state["ev_doc_seen"] = doc_id
facts = queries.run(cur, "evidence_facts", doc_id=doc_id)
if facts.is_empty():
    empty_state("表格数字", "该文档没有可识别的金额表（例如只有情况说明）。")
    st.stop()
by_fact = {
    r["fact"]: r for r in facts.sort(["page", "line", "row_index", "col_index"], nulls_last=True).iter_rows(named=True)
}
key = _pick(list(by_fact), "fact", "数字", lambda k: _fact_label(by_fact[k]))
found = queries.run(cur, "fact_box", doc_id=doc_id, fact=key)
if found.is_empty():  # a link naming a figure this warehouse does not hold (rebuilt since)
    empty_state("表格数字", "没有找到该数字：数据仓库可能已重建，请重新选择。")
    st.stop()
fact = found.row(0, named=True)
column = column_zh(fact["measure"])
st.subheader(f"{md(fact['row_label'] or '')} · {md(column)}：{md(_amount(fact))}")
st.caption(f"表：{md(fact['table_title'] or '')}；文件：{md(fact['source_file'])}")
if fact["format"] == "pdf" and fact["x0"] is not None:
    _show_pdf(fact)
else:
    if fact["format"] == "pdf":
        st.info("该数字的单元格位置未记录（由跨页或逐行排列的表格重组而来），以下为所在页的文字。")
    if not _show_context(cur, doc_id, fact):
        st.info("数据仓库没有保存该文件的页面与文字（原文件不在本机），无法显示原文位置。")
