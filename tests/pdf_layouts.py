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

# Running lines come from chromium's own print header and footer: the date and the document title
# at the top of every page, the file URL and "page/pages" at the bottom.
RUNNING_TITLE = "社会保险经办机构信息公开"


def to_html(text: str, variant: str) -> str:
    page_css, table_css, running = VARIANTS[variant]
    out: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            body = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r + [""] * (width - len(r))) + "</tr>"
                for r in rows
            )
            out.append(f"<table>{body}</table>")
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
    running = [] if VARIANTS[variant][2] else ["--no-pdf-header-footer"]
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            *running,
            f"--user-data-dir={out_dir / '.chromium'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return pdf


if __name__ == "__main__":
    src, dest, *names = sys.argv[1:]
    for name in names or list(VARIANTS):
        print(render(Path(src), Path(dest), name))
