"""One ZIP per view: the chart (PNG, SVG), the data behind it (CSV with BOM, XLSX with a sheet of
sources and definitions) and a citation with the permalink that reopens the view.

Entry names are stored in GBK, which Windows unzip tools on Chinese systems read natively, plus
an Info-ZIP Unicode Path extra field (0x7075) with the UTF-8 name for tools that honour it
(7-Zip, WinRAR, Bandizip, Info-ZIP unzip). Names GBK cannot encode fall back to the UTF-8 flag.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import struct
import zipfile
import zlib

import plotly.graph_objects as go
import polars as pl
import xlsxwriter

from exports.render import to_image
from exports.tables import csv_bytes, export_frame, neutralise_text

DEFINITIONS = [
    ("金额", "以元为基准存储（DECIMAL），导出按页面所选单位换算；空白表示文件未公开该数，0 表示文件印明为 0。"),
    ("同比", "（本年数 − 上年数）÷ 上年数，按数字计算，不照抄文件所印比率。"),
    ("养老补助", "财政养老补助，不含单位自身为职工缴纳的养老保险；决算取执行数。"),
    ("口径", "预算 = 部门预算公开；决算 = 部门决算公开。"),
]


class _WindowsNameInfo(zipfile.ZipInfo):
    """A ZipInfo whose name is written in GBK, with the UTF-8 name in a 0x7075 extra field."""

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's own method name)
        try:
            return self.filename.encode("gbk"), self.flag_bits & ~0x800
        except UnicodeEncodeError:
            return super()._encodeFilenameFlags()


def _entry(name: str) -> zipfile.ZipInfo:
    info = _WindowsNameInfo(name, date_time=dt.datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    try:
        stored = name.encode("gbk")
    except UnicodeEncodeError:
        return info
    utf8 = name.encode("utf-8")
    body = struct.pack("<BI", 1, zlib.crc32(stored)) + utf8
    info.extra = struct.pack("<HH", 0x7075, len(body)) + body
    return info


def xlsx_with_sources(
    df: pl.DataFrame, sources: list[str], title: str, permalink: str | None, built: str | None = None
) -> bytes:
    buf = io.BytesIO()
    with xlsxwriter.Workbook(buf) as wb:
        export_frame(df).write_excel(workbook=wb, worksheet="数据", autofit=True)
        ws = wb.add_worksheet("来源与口径")
        bold = wb.add_format({"bold": True})
        rows = [("标题", title), ("生成时间", dt.datetime.now().strftime("%Y-%m-%d %H:%M"))]
        rows += [("链接", permalink or "")] + ([("数据仓库构建", built)] if built else [])
        rows += [("来源", s) for s in sources] + DEFINITIONS
        for i, (k, v) in enumerate(rows):
            ws.write_string(i, 0, k, bold)  # write_string: text is never a formula
            ws.write_string(i, 1, neutralise_text(v) or "")
        ws.set_column(0, 0, 12)
        ws.set_column(1, 1, 100)
    return buf.getvalue()


def citation(title: str, sources: list[str], permalink: str | None, built: str | None = None) -> str:
    today = dt.date.today().isoformat()
    lines = [f"《{title}》，县域社保预决算对比看板，{today} 导出" + (f"（数据仓库 {built} 构建）。" if built else "。")]
    if sources:
        lines.append("数据来源：" + "；".join(sources) + "。")
    if permalink:
        lines.append(f"查看与复核：{permalink}")
    lines.append("金额以文件所印为准；空白为未公开；同比按数字计算。")
    return "\r\n".join(lines) + "\r\n"


def make_bundle(
    fig: go.Figure,
    df: pl.DataFrame,
    name: str,
    *,
    sources: list[str],
    permalink: str | None = None,
    built: str | None = None,
) -> bytes:
    title = (fig.layout.title.text or name) if fig.layout.title else name
    title = html.unescape(title.replace("<br>", ""))  # as written: one line, no entities (exports.figures)
    files = {
        f"{name}/{name}.png": to_image(fig, "png"),
        f"{name}/{name}.svg": to_image(fig, "svg"),
        f"{name}/{name}_数据.csv": csv_bytes(df),
        f"{name}/{name}_数据.xlsx": xlsx_with_sources(df, sources, title, permalink, built),
        f"{name}/引用说明.txt": citation(title, sources, permalink, built).encode("utf-8-sig"),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for entry, data in files.items():
            z.writestr(_entry(entry), data)
    return buf.getvalue()


def unicode_names(data: bytes) -> list[str]:
    """Entry names as a Windows tool honouring 0x7075 (or GBK) reads them; used by the tests."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data), metadata_encoding="gbk") as z:
        for info in z.infolist():
            name, extra = info.filename, info.extra
            while len(extra) >= 4:
                hid, size = struct.unpack("<HH", extra[:4])
                if hid == 0x7075:
                    name = extra[9 : 4 + size].decode("utf-8")
                extra = extra[4 + size :]
            out.append(name)
    return out
