"""Render a sample disclosure (.txt, tab-separated tables) as PDFs in layouts the bundled PDFs lack.

The bundled PDFs draw every table fully ruled. Real disclosures also come as tables with horizontal
rules only (三线表), with no rules at all (columns aligned by whitespace), on landscape or Letter
pages, with running headers and footers, with cells aligned to the top or the middle, with tight
cell padding, with long cells wrapped over several lines and tables continuing on the next page
without a repeated header. Each variant here is one CSS; the HTML is printed to PDF by
Debian's headless chromium with a CJK system font (fonts-noto-cjk).

Usage: python -m tests.pdf_layouts SAMPLE.txt OUT_DIR [variant ...]
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

_BASE = """
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 10pt; margin: 0; }
p { margin: 3pt 0; }
table { border-collapse: collapse; margin: 6pt 0; }
td { padding: 2pt 6pt; font-size: 8.5pt; overflow-wrap: anywhere; }
"""

# name -> (page CSS, table CSS, running header/footer)
VARIANTS: dict[str, tuple[str, str, bool]] = {
    # every row ruled above and below, no vertical rules; running header and footer lines
    "hrules": (
        "@page { size: A4; margin: 18mm 12mm; }",
        "td { border-top: 0.6pt solid #000; border-bottom: 0.6pt solid #000; }",
        True,
    ),
    # 三线表 on landscape pages, serif font: rules above the table, under its first row, below it
    "threeline": (
        '@page { size: A4 landscape; margin: 15mm 15mm; }body { font-family: "Noto Serif CJK SC", serif; }',
        "table { border-top: 1.2pt solid #000; border-bottom: 1.2pt solid #000; }"
        "tr:first-child td { border-bottom: 0.6pt solid #000; }",
        False,
    ),
    # no rules at all, serif, running header/footer; narrow cells so long text wraps
    "norules": (
        '@page { size: A4; margin: 18mm 12mm; }body { font-family: "Noto Serif CJK SC", serif; }',
        "td { max-width: 34mm; vertical-align: top; }",
        True,
    ),
    # no rules, landscape, default (middle) vertical alignment; long cells wrap in narrow columns
    "landscape": (
        "@page { size: A4 landscape; margin: 12mm 12mm; }",
        "td { max-width: 26mm; }",
        False,
    ),
    # US Letter, every row ruled, cells top-aligned in 9pt; running header and footer lines
    "toprules": (
        "@page { size: letter; margin: 20mm 15mm; }",
        "td { border-top: 0.6pt solid #000; border-bottom: 0.6pt solid #000; vertical-align: top;"
        " font-size: 9pt; max-width: 40mm; }",
        True,
    ),
    # no rules, tight: 8pt cells with 1pt/4pt padding under 10pt body text, wide page margins
    "tight": (
        "@page { size: A4; margin: 25mm 20mm; }",
        "td { max-width: 30mm; font-size: 8pt; padding: 1pt 4pt; }",
        False,
    ),
}

# Harder layouts, rendered like VARIANTS (tests/integration/test_pdf_layouts.py EXTRA_CASES runs the
# (sample, layout) pairs that read right; docs of the others in the #18 report).
EXTRA_VARIANTS: dict[str, tuple[str, str, bool]] = {
    # two or more tables on one page: 7pt cells under 8pt text, narrow margins, no rules
    "twotables": (
        "@page { size: A4; margin: 10mm 10mm; }body { font-size: 8pt; }p { margin: 1pt 0; }",
        "table { margin: 2pt 0; }td { font-size: 7pt; padding: 1pt 5pt; max-width: 40mm; }",
        False,
    ),
    # a narrow (condensed) font: DejaVu Sans Condensed digits and letters, CJK set tight, no rules
    "condensed": (
        "@page { size: A4; margin: 18mm 15mm; }",
        'td { font-family: "DejaVu Sans Condensed", "Noto Sans CJK SC", sans-serif; font-stretch: condensed;'
        " letter-spacing: -0.02em; font-size: 8pt; padding: 1pt 4pt; max-width: 30mm; }",
        False,
    ),
    # long tables continued onto a landscape page: the second half of every table of more than 12 rows
    # is printed on an A4 landscape page of its own (a Word section break inside a table), with the
    # same column widths and left margin, no rules
    "landcont": (
        "@page { size: A4; margin: 15mm 12mm; }@page wide { size: A4 landscape; margin: 12mm 12mm; }"
        ".wide { page: wide; }",
        "td { overflow-wrap: anywhere; }",
        False,
    ),
}

LAYOUTS = {**VARIANTS, **EXTRA_VARIANTS}

# Variants whose tables of more than SPLIT_ROWS rows go on on a landscape page (CSS named pages).
SPLIT_LANDSCAPE = {"landcont"}
SPLIT_ROWS = 12
SPLIT_WIDTH_MM = 186  # an A4 portrait page's width inside 12 mm margins

# Running lines come from chromium's own print header and footer: the date and the document title
# at the top of every page, the file URL and "page/pages" at the bottom.
RUNNING_TITLE = "社会保险经办机构信息公开"


def _colgroup(rows: list[list[str]], width: int) -> str:
    """Column widths in proportion to each column's longest cell (2 to 12 characters)."""
    longest = [max((len(r[i]) for r in rows if i < len(r)), default=0) for i in range(width)]
    weights = [min(12, max(2, n)) for n in longest]
    return (
        "<colgroup>" + "".join(f'<col style="width: {100 * w / sum(weights):.2f}%">' for w in weights) + "</colgroup>"
    )


def to_html(text: str, variant: str) -> str:
    page_css, table_css, running = LAYOUTS[variant]
    out: list[str] = []
    rows: list[list[str]] = []

    def body(part: list[list[str]], width: int) -> str:
        return "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r + [""] * (width - len(r))) + "</tr>" for r in part
        )

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            if variant in SPLIT_LANDSCAPE and len(rows) > SPLIT_ROWS:
                # Both parts keep the table's column widths, as a word processor does across a
                # section break: fixed widths from the longest cell of each column.
                half, cols = len(rows) // 2, _colgroup(rows, width)
                fixed = f'<table style="table-layout: fixed; width: {SPLIT_WIDTH_MM}mm">{cols}'
                out.append(f"{fixed}{body(rows[:half], width)}</table>")
                out.append(f'<div class="wide">{fixed}{body(rows[half:], width)}</table></div>')
            else:
                out.append(f"<table>{body(rows, width)}</table>")
            rows.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        if "\t" in line:
            rows.append([c.strip() for c in line.split("\t")])
            continue
        if line.strip():
            # A blank line between tab lines marks a page break of the source document: the
            # table goes on with the same columns, so it stays one HTML table.
            flush()
            out.append(f"<p>{html.escape(line.strip())}</p>")
    flush()
    title = f"<title>{RUNNING_TITLE}</title>" if running else ""
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">{title}<style>{_BASE}{page_css}{table_css}'
        f"</style></head><body>{''.join(out)}</body></html>"
    )


def render(sample: Path, out_dir: Path, variant: str) -> Path:
    """Write `<stem>.<variant>.html` and print it to `<stem>.<variant>.pdf`; return the PDF."""
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / f"{sample.stem}.{variant}.html"
    pdf = out_dir / f"{sample.stem}.{variant}.pdf"
    page.write_text(to_html(sample.read_text(encoding="utf-8"), variant), encoding="utf-8")
    return print_pdf(page, pdf, out_dir, running=LAYOUTS[variant][2])


if __name__ == "__main__":
    src, dest, *names = sys.argv[1:]
    for name in names or list(LAYOUTS):
        print(render(Path(src), Path(dest), name))


# --- real-style pages ------------------------------------------------------------------------------
# How county portals print budget tables: titles centred, 部门名称 on the left and "单位:万元" on the
# right of one line above the table, merged header cells (rowspan/colspan, centred: 公务用车购置及运行费
# over 小计 / 购置费 / 运行费), amounts aligned right, labels left, no rule anywhere. `real_html`
# prints any sample text that way; SANGONG_TEXT is a 三公 page with figures (the samples' 三公
# tables are empty), its text form loaded by the text reader.

SANGONG_TEXT = """2024 年度
获嘉县社会保险中心部门预算

2024年一般公共预算“三公”经费支出情况表

部门名称：获嘉县社会保险中心

单位:万元

“三公”经费合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费
\t\t小计\t公务用车购置费\t公务用车运行费\t
7.90\t0.00\t6.50\t0.00\t6.50\t1.40

注：“三公”经费包括因公出国（境）费、公务用车购置及运行费和公务接待费。
"""

# A 三公 决算 page with its 决算数对比情况表, one page (盐池's figures: 2023 22,673.66 元, 2024 7,635.90
# 元, down 15,037.76 元 or 66.32%): a browser's print header and footer are the only margin lines.
DUIBI_TEXT = """盐池县社会保险事业管理中心
2024年度“三公”经费支出决算情况说明

2024年度“三公”经费财政拨款支出决算为7,635.90元，比2023年度减少15,037.76元，下降66.32%。

2024年度“三公”经费财政拨款支出决算数对比情况表

单位：元

项目\t上年决算数\t本年决算数\t增减额\t增减幅度
合计\t22,673.66\t7,635.90\t-15,037.76\t-66.32%
因公出国（境）费\t0.00\t0.00\t0.00\t0.00%
公务用车购置及运行维护费\t22,673.66\t7,635.90\t-15,037.76\t-66.32%
其中：公务用车购置费\t0.00\t0.00\t0.00\t0.00%
公务用车运行维护费\t22,673.66\t7,635.90\t-15,037.76\t-66.32%
公务接待费\t0.00\t0.00\t0.00\t0.00%
"""

# name -> (page size, font CSS)
REAL_STYLES: dict[str, tuple[str, str]] = {
    "real": ("A4", '"Noto Serif CJK SC", serif'),
    "real-landscape": ("A4 landscape", '"Noto Serif CJK SC", serif'),
    # a narrow font: DejaVu Sans Condensed for digits and letters, CJK set tight
    "real-condensed": (
        "A4",
        '"DejaVu Sans Condensed", "Noto Sans CJK SC", sans-serif; font-stretch: condensed; letter-spacing: -0.02em',
    ),
}

_REAL_CSS = """
body { margin: 0; font-size: 10.5pt; }
p { margin: 3pt 0; }
p.title { text-align: center; font-size: 13pt; margin-top: 10pt; }
.meta { display: flex; justify-content: space-between; font-size: 10pt; margin: 2pt 0; }
table { border-collapse: collapse; width: 100%; margin: 2pt 0 8pt 0; }
td { padding: 3pt 5pt; font-size: 9pt; text-align: left; vertical-align: middle; }
td.h { text-align: center; }
td.n { text-align: right; white-space: nowrap; }
"""
_AMOUNT = re.compile(r"^-?[\d,]*\d\.\d+$")
_META = re.compile(r"^(部门名称|单位名称|编制单位)[:：]")
_UNIT = re.compile(r"^(金额)?单位[:：]")


def _header_cells(rows: list[list[str]], n: int) -> str:
    """The first `n` rows as merged header cells: a cell spans the empty cells right of it that have
    sub-headers below, and the empty header rows below it."""
    width = len(rows[0])
    covered: set[tuple[int, int]] = set()
    out = []
    for r in range(n):
        tds = []
        for c in range(width):
            if (r, c) in covered:
                continue
            text = rows[r][c]
            span = 1
            while text and c + span < width and not rows[r][c + span] and r + 1 < n and rows[r + 1][c + span]:
                span += 1
            down = 1
            while text and r + down < n and all(not rows[r + down][k] for k in range(c, c + span)):
                down += 1
            covered.update((r + i, c + k) for i in range(down) for k in range(span))
            attrs = (f' colspan="{span}"' if span > 1 else "") + (f' rowspan="{down}"' if down > 1 else "")
            tds.append(f'<td class="h"{attrs}>{html.escape(text)}</td>')
        out.append("<tr>" + "".join(tds) + "</tr>")
    return "".join(out)


def _real_table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    n = next((i for i, r in enumerate(rows) if any(_AMOUNT.match(c.replace(" ", "")) for c in r)), len(rows))
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{"n" if _AMOUNT.match(c.replace(" ", "")) else ""}">{html.escape(c)}</td>' for c in r)
        + "</tr>"
        for r in rows[n:]
    )
    return f"<table>{_header_cells(rows, n) if n else ''}{body}</table>"


def real_html(text: str, style: str) -> str:
    """A text (tab-separated tables) printed the way portals print it, in one of REAL_STYLES."""
    size, font = REAL_STYLES[style]
    out: list[str] = []
    rows: list[list[str]] = []
    meta: list[str] = []

    def flush() -> None:
        if meta:
            left = next((m for m in meta if _META.match(m)), "")
            right = " ".join(m for m in meta if m != left)
            out.append(f'<div class="meta"><span>{html.escape(left)}</span><span>{html.escape(right)}</span></div>')
            meta.clear()
        if rows:
            out.append(_real_table(rows))
            rows.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        if "\t" in line:
            if meta:
                flush()
            rows.append([c.strip() for c in line.split("\t")])
            continue
        line = line.strip()
        if not line:
            continue
        if rows:
            flush()
        if _META.match(line) or _UNIT.match(line):
            meta.append(line)
            continue
        flush()
        title = line.endswith("表") or "预算" in line and len(line) < 30
        out.append(f'<p class="{"title" if title else ""}">{html.escape(line)}</p>')
    flush()
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{_REAL_CSS}'
        f"@page {{ size: {size}; margin: 18mm 15mm; }} body {{ font-family: {font}; }}</style></head>"
        f"<body>{''.join(out)}</body></html>"
    )


def render_real(text: str, stem: str, out_dir: Path, style: str) -> Path:
    """Print `text` in a real style to `<stem>.<style>.pdf` under `out_dir`; return the PDF."""
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / f"{stem}.{style}.html"
    page.write_text(real_html(text, style), encoding="utf-8")
    return print_pdf(page, out_dir / f"{stem}.{style}.pdf", out_dir)


def print_pdf(page: Path, pdf: Path, work: Path, running: bool = False) -> Path:
    """Print an HTML file to PDF with Debian's headless chromium."""
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            *([] if running else ["--no-pdf-header-footer"]),
            f"--user-data-dir={work / '.chromium'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf


def two_tables_text(huojia: str) -> str:
    """SANGONG_TEXT with 获嘉's 一般公共预算基本支出表 (its real rows, from the sample text) printed
    before the 三公 table: two tables on one page."""
    lines = huojia.replace("\r\n", "\n").split("\n")
    start = lines.index("2024年一般公共预算基本支出表")
    end = lines.index("2024年一般公共预算“三公”经费支出情况表")
    head, title, tail = SANGONG_TEXT.partition("2024年一般公共预算“三公”经费支出情况表")
    return head + "\n".join(lines[start:end]) + "\n" + title + tail
