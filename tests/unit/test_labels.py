"""The Chinese a page shows for a parser's English one-line reason (rules.labels.reason_zh)."""

from __future__ import annotations

from etl.pipeline import NO_FIGURES, NoFiguresError
from rules.labels import reason_zh


def test_a_page_without_figures_is_told_to_fetch_its_attachment():
    """The real refusal message, attachment link included (the link contains 'cap', another key's
    word: the no-figures key must still win)."""
    exc = NoFiguresError(
        {"unit_name": "海原县社会保险事业管理中心", "fiscal_year": 2024, "stage": "budget"},
        ["http://www.hy.gov.cn/capital/2024yusuan.xls"],
    )
    text = reason_zh(f"failed: {exc}")
    assert text.startswith("页面只有标题、目录或说明，没有数字：表格可能在附件中")
    assert NO_FIGURES in text  # the English detail follows for support


def test_other_reasons_and_the_default():
    assert reason_zh("failed: encrypted PDF: a password is required to open it").startswith("PDF 已加密")
    assert reason_zh("failed: time limit exceeded (180 s)").startswith("解析超时")
    assert reason_zh("failed: implausible fiscal year 1890 (expected 2010..2027)").startswith("年度不合理")
    assert reason_zh("failed: something new").startswith("无法识别为预算或决算公开文件（something new")


def test_reader_warnings_in_chinese_from_the_readers_themselves():
    """Warnings made by the text reader on damaged bytes (a NUL, a BOM inside, an undecodable
    byte, UTF-16 with stray marks) read in Chinese with their offsets, none left as '读取提示'."""
    from etl.readers.text import decode_text
    from rules.labels import warning_zh

    body = "部门预算\n单位：元\n".encode()
    cases = {
        body[:6] + b"\x00\x00" + body[6:]: "文本有损坏：已删除 2 个空字符（NUL，字节位置 6-7）",
        body[:6] + "\ufeff".encode() + body[6:]: "文本有损坏：已删除正文中 3 个字节的字节顺序标记（BOM，字节位置 6-8）",
        "\ufeff部门\ufeff预算\n".encode("utf-16-le"): "文本有损坏：已删除正文中 1 个字节顺序标记（BOM",
        body[:6] + b"\xff" + body[6:]: "1 个字符无法解码，显示为 \ufffd（字节位置 6，第一个在第 1 行",
    }
    for data, want in cases.items():
        warnings = decode_text(data).warnings
        assert warnings, data
        assert warning_zh(warnings[0]).startswith(want), (warnings[0], warning_zh(warnings[0]))


def test_reader_warnings_joined_in_the_warehouse():
    """The `warnings` column joins a document's warnings with '; ': each is translated, and an
    unknown one is kept as printed behind '读取提示：' rather than dropped."""
    from etl.readers.ocr import _ranges
    from rules.labels import warnings_zh

    column = "; ".join(
        [
            f"OCR on pages {_ranges([1, 2, 3, 7])} (lower confidence)",
            "page 4 lay upside-down in the scan: turned upright before OCR",
            "pages 2, 5 lay a quarter turn clockwise in the scan: turned upright before OCR",
            "hidden sheet '附表' skipped",
            "something new",
        ]
    )
    assert warnings_zh(column) == (
        "第 1-3, 7 页为扫描图像，经文字识别（OCR）读取，可信度较低；第 4 页扫描时上下颠倒，已转正后识别；"
        "第 2, 5 页扫描时顺时针横放，已转正后识别；已跳过隐藏工作表“附表”；读取提示：something new"
    )
    assert warnings_zh(None) is None and warnings_zh("") is None
