"""Scans of the sample disclosures as a county office makes them: pages printed, then scanned or
photographed, and put back as an image-only PDF (no text layer).

A sample's PDF (the bundled one, or its text printed by headless chromium on landscape pages) is
rasterised with pypdfium2 and degraded with OpenCV/PIL, each degradation one keyword:

- `dpi`: the scanner's resolution (150 dpi is the common office default);
- `skew`: degrees the sheet lay crooked on the glass (positive: anticlockwise);
- `jpeg`: JPEG quality of the embedded images (the PDF holds the JPEG as it is, DCTDecode);
- `stamp`: a red official seal (circle, star, arc of text) over the first table of these pages;
- `photo`: the page photographed at a slight angle: a quadrilateral on a darker desk, with
  uneven light and a little blur;
- `turns`: (page, k) pairs: the page fed through the scanner turned by k anticlockwise quarter
  turns (1: a landscape page fed the long way, -1 the other way, 2 upside-down).

Usage: python -m tests.scans SAMPLE.pdf|SAMPLE.txt OUT.pdf [--landscape] [--skew 1.5] ...
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from pathlib import Path

from tests.pdf_layouts import print_pdf, to_html

# Fully ruled tables on A4 landscape pages: what a wide table looks like printed sideways.
LANDSCAPE_CSS = "@page { size: A4 landscape; margin: 12mm 15mm; }td { border: 0.6pt solid #000; }"


@dataclass(frozen=True)
class Scan:
    dpi: int = 150
    skew: float = 0.0
    jpeg: int | None = None
    stamp: tuple[int, ...] = ()  # 1-based pages that get a seal over their first table
    photo: bool = False
    seed: int = 18
    turns: tuple[tuple[int, int], ...] = ()  # (1-based page, anticlockwise quarter turns)


def landscape_pdf(txt: Path, out_dir: Path) -> Path:
    """The sample's text printed by chromium with fully ruled tables on A4 landscape pages."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html = to_html(txt.read_text(encoding="utf-8"), "landscape").replace("</style>", LANDSCAPE_CSS + "</style>")
    page = out_dir / f"{txt.stem}.landscape-ruled.html"
    pdf = page.with_suffix(".pdf")
    page.write_text(html, encoding="utf-8")
    return print_pdf(page, pdf, out_dir)


def _first_table_box(gray) -> tuple[int, int, int, int] | None:
    """Bounding box (x0, y0, x1, y1) of the page's first ruled table, from its long rules."""
    import cv2

    mask = (gray < 160).astype("uint8") * 255
    h_len = max(gray.shape[1] // 8, 20)
    lines = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    ys, xs = lines.nonzero()
    if len(ys) == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def _stamp(rgb, rng: random.Random) -> None:
    """A red seal (two rings, a star, an arc of characters) across the first table, in place."""
    import cv2
    import numpy as np
    from PIL import Image, ImageDraw

    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    box = _first_table_box(gray)
    h, w = gray.shape
    x0, y0, x1, y1 = box or (w // 4, h // 4, 3 * w // 4, h // 2)
    r = int(min(w, h) * 0.11)
    cx = int(x0 + (x1 - x0) * rng.uniform(0.55, 0.75))
    cy = int(y0 + min(y1 - y0, 4 * r) * rng.uniform(0.35, 0.6))
    layer = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(layer)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=max(r // 14, 3))
    d.ellipse((cx - r + r // 10, cy - r + r // 10, cx + r - r // 10, cy + r - r // 10), outline=255, width=1)
    star = [
        (cx + (r * 0.3 if i % 2 == 0 else r * 0.12) * math.sin(i * math.pi / 5),
         cy - (r * 0.3 if i % 2 == 0 else r * 0.12) * math.cos(i * math.pi / 5))
        for i in range(10)
    ]  # fmt: skip
    d.polygon(star, fill=255)
    font = _font(int(r * 0.22))
    text = "县社会保险服务中心财务专用章"
    for i, ch in enumerate(text):
        a = math.radians(-150 + 300 * i / (len(text) - 1))
        tx, ty = cx + 0.72 * r * math.sin(a), cy - 0.72 * r * math.cos(a)
        d.text((tx, ty), ch, fill=255, font=font, anchor="mm")
    ink = np.asarray(layer, dtype=np.float32) / 255 * rng.uniform(0.75, 0.9)
    red = np.array([200, 30, 40], dtype=np.float32)
    # multiply blend: the seal's ink darkens what is under it, black print stays black
    out = rgb.astype(np.float32) * (1 - ink[..., None] * (1 - red / 255))
    rgb[...] = out.clip(0, 255).astype(np.uint8)


def _font(size: int):
    from PIL import ImageFont

    for name in (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ):
        if Path(name).exists():
            return ImageFont.truetype(name, size)
    return ImageFont.load_default()


def _photo(rgb, rng: random.Random):
    """The page as a phone photo: a quadrilateral on a darker desk, uneven light, slight blur."""
    import cv2
    import numpy as np

    h, w = rgb.shape[:2]
    pad = int(0.06 * w)
    W, H = w + 2 * pad, h + 2 * pad
    j = lambda: rng.uniform(0.2, 1.0) * pad  # noqa: E731
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[pad + j(), pad + j() * 0.5], [W - pad - j() * 0.4, pad - j() * 0.3],
                      [W - pad - j() * 0.2, H - pad - j() * 0.6], [pad - j() * 0.5, H - pad + j() * 0.3]])  # fmt: skip
    m = cv2.getPerspectiveTransform(src, dst)
    desk = np.full((H, W, 3), (96, 84, 72), dtype=np.uint8)
    out = cv2.warpPerspective(rgb, m, (W, H), dst=desk, borderMode=cv2.BORDER_TRANSPARENT, flags=cv2.INTER_LINEAR)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    light = 0.82 + 0.18 * (xx / W) * (1 - 0.4 * yy / H)  # darker towards the top-left corner
    out = (out.astype(np.float32) * light[..., None]).clip(0, 255).astype(np.uint8)
    return cv2.GaussianBlur(out, (3, 3), 0.6)


def degrade(rgb, page_no: int, spec: Scan):
    """One rendered page (RGB array) as the scanner or camera delivers it."""
    import cv2
    import numpy as np

    rng = random.Random(spec.seed * 1000 + page_no)
    rgb = np.ascontiguousarray(rgb)
    if page_no in spec.stamp:
        _stamp(rgb, rng)
    if spec.skew:
        h, w = rgb.shape[:2]
        angle = spec.skew * (1 if page_no % 2 else -0.6)  # the sheets do not all lie the same way
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        rgb = cv2.warpAffine(rgb, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    if spec.photo:
        rgb = _photo(rgb, rng)
    k = dict(spec.turns).get(page_no, 0)
    if k:
        rgb = np.ascontiguousarray(np.rot90(rgb, k))
    noise = np.random.default_rng(spec.seed + page_no).normal(0, 4, rgb.shape)
    return (rgb.astype(np.float32) + noise).clip(0, 255).astype(np.uint8)


def scan_pdf(pdf: Path, out: Path, spec: Scan = Scan()) -> Path:
    """Every page of `pdf` rendered at spec.dpi, degraded, and written to `out` as an image-only
    PDF (reportlab embeds a JPEG as it is, so `jpeg` quality is what the reader gets)."""
    import pypdfium2 as pdfium
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    src = pdfium.PdfDocument(str(pdf))
    c = None
    try:
        for i in range(len(src)):
            page = src[i]
            try:
                rgb = page.render(scale=spec.dpi / 72).to_numpy()[:, :, :3]
            finally:
                page.close()
            img = Image.fromarray(degrade(rgb, i + 1, spec))
            buf = io.BytesIO()
            if spec.jpeg:
                img.save(buf, "JPEG", quality=spec.jpeg)
            else:
                img.save(buf, "PNG")
            buf.seek(0)
            size = (img.width * 72 / spec.dpi, img.height * 72 / spec.dpi)
            if c is None:
                c = canvas.Canvas(str(out), pagesize=size)
            c.setPageSize(size)
            c.drawImage(ImageReader(buf), 0, 0, *size)
            c.showPage()
    finally:
        src.close()
    if c is not None:
        c.save()
    return out


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--landscape", action="store_true")
    ap.add_argument("--dpi", type=int, default=150)
    ap.add_argument("--skew", type=float, default=0.0)
    ap.add_argument("--jpeg", type=int)
    ap.add_argument("--stamp", type=int, nargs="*", default=[])
    ap.add_argument("--photo", action="store_true")
    ap.add_argument("--turn", nargs=2, type=int, action="append", default=[], metavar=("PAGE", "K"))
    a = ap.parse_args()
    src = landscape_pdf(a.src, a.out.parent) if a.landscape else a.src
    print(scan_pdf(src, a.out, Scan(a.dpi, a.skew, a.jpeg, tuple(a.stamp), a.photo, turns=tuple(map(tuple, a.turn)))))
