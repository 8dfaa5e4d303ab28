"""The document model both readers produce: pages of paragraphs and tables, each with provenance.

A text file is one page; its provenance is the line number. A PDF block carries its page number
(and for table rows the row index within the page's table, and each cell's box on the page). Recognisers never look at the file
format, so a text and a PDF of one disclosure yield the same facts.

Other forms map onto page/line (docs/etl.md, "Input forms"): an Excel sheet is a page and its row
number the line; an HTML element's source line is the line; a Word body block's ordinal is the line.
`ref` carries the form's own locator ("收支总表!B7", "table[3]/tr[5]") for messages and raw rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# A cell's box on its PDF page: (x0, top, x1, bottom) in PDF points, origin at the page's top left.
Box = tuple[float, float, float, float]


class DocumentError(Exception):
    """A file that cannot be read as a disclosure; the message names the reason."""


@dataclass
class Row:
    cells: list[str]
    page: int
    line: int | None  # text line (1-based); None for PDF rows
    index: int  # row position within its raw table
    vertical: bool = False  # rebuilt from a one-cell-per-line block
    ref: str | None = None  # form-specific locator: "Sheet1!A7", "table[3]/tr[5]"
    ocr: bool = False  # read by OCR from a page image (lower confidence)
    # PDF: each cell's box on the page (parallel to `cells`; None for a cell without one), and the
    # page's (width, height) in points. A row whose cells were regrouped has no boxes (see `box`).
    boxes: list[Box | None] | None = None
    page_size: tuple[float, float] | None = None

    def box(self, col: int | None) -> Box | None:
        """The box of cell `col`, when the boxes still line up with the cells."""
        if col is None or not self.boxes or len(self.boxes) != len(self.cells) or not 0 <= col < len(self.cells):
            return None
        return self.boxes[col]


@dataclass
class Paragraph:
    text: str
    page: int
    line: int | None
    ref: str | None = None
    ocr: bool = False


@dataclass
class RawTable:
    rows: list[Row]
    page: int
    line: int | None
    continues_previous: bool = False  # no paragraph text since the previous table
    open_top: bool = False  # PDF: first row is the tail of a row cut by a page break
    open_bottom: bool = False  # PDF: last row runs on onto the next page


@dataclass
class Document:
    path: str
    file_name: str
    fmt: str  # "text" | "pdf" | "html" | "excel" | "docx"
    page_count: int
    blocks: list[Paragraph | RawTable] = field(default_factory=list)
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # PDF pages read by OCR
    script: str | None = None  # "traditional" when converted to simplified before parsing
    # Links to attached files a page names (an HTML page whose tables are in an attachment): what a
    # refusal for "no figures" tells the user to fetch.
    attachments: list[str] = field(default_factory=list)

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]
