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
