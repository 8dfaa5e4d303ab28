import pytest

from etl.layout import build_tables
from etl.model import DocumentError, Paragraph, RawTable
from etl.readers import read_document

SAMPLE = (
    "2024年部门支出总体情况表\n单位：万元\n"
    "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    "2080109\t社会保险经办机构\t84.12\t50.16\t33.96\n"
    "\n"
    "2080507\t对机关事业单位基本养老保险基金的补助\t5,750.00\t\t5,750.00\n"
    "注：本表无其他说明\n"
)


def test_tab_runs_are_tables_and_continue_across_blank_lines(tmp_path):
    (tmp_path / "a.txt").write_text(SAMPLE, encoding="utf-8")
    doc = read_document(tmp_path / "a.txt")
    raws = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert [len(r.rows) for r in raws] == [2, 1] and raws[1].continues_previous
    assert raws[0].rows[1].line == 4
    (t,) = build_tables(doc)
    assert len(t.rows) == 3 and t.title == "2024年部门支出总体情况表" and t.unit == "万元"
    assert t.rows[2].cells[3] == "" and t.notes[0].text.startswith("注")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_chinese_encodings_are_not_bad_input(tmp_path, encoding):
    (tmp_path / "a.txt").write_bytes(SAMPLE.encode(encoding))
    doc = read_document(tmp_path / "a.txt")
    assert isinstance(doc.blocks[0], Paragraph) and doc.blocks[0].text == "2024年部门支出总体情况表"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x00\x01\x02binary" * 50, "binary data"),
        (bytes([0x81, 0x30]) * 3 + b"\xff\xfe\xfd" * 20, "undecodable text"),
    ],
)
def test_bad_text_inputs(tmp_path, data, reason):
    (tmp_path / "x.txt").write_bytes(data)
    with pytest.raises(DocumentError, match=reason):
        read_document(tmp_path / "x.txt")


def test_vertical_table_rows_and_wrapped_cells(tmp_path):
    text = (
        "1.奖励性绩效工资绩效目标表\n\n\t一级指标\n\t二级指标\n\t三级指标\n\t指标值\n\n"
        "\t产出指标\n\t数量\n指标\n\t人员数量\n\t24人\n\n\t\n\t质量指标\n\t及时率\n\t100%\n"
    )
    (tmp_path / "v.txt").write_text(text, encoding="utf-8")
    (t,) = build_tables(read_document(tmp_path / "v.txt"))
    assert [r.cells for r in t.rows] == [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "人员数量", "24人"],
        ["", "质量指标", "及时率", "100%"],
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_few_damaged_bytes_cost_those_characters_not_the_document(tmp_path, encoding):
    """One byte of a download damaged in the note line: the table still reads, and the document
    says how many bytes were lost and on which line."""
    data = bytearray((SAMPLE * 8).encode(encoding))
    at = data.index("注".encode(encoding))
    data[at] = 0xFF  # a byte that starts no character in UTF-8 nor in GB18030
    (tmp_path / "d.txt").write_bytes(bytes(data))
    doc = read_document(tmp_path / "d.txt")
    assert doc.encoding == ("utf-8" if encoding == "utf-8" else "gb18030")
    (note,) = doc.warnings
    assert "undecodable" in note and "line 7" in note  # the 注 line
    rows = [r.cells for b in doc.blocks if isinstance(b, RawTable) for r in b.rows]
    assert rows[1] == ["2080109", "社会保险经办机构", "84.12", "50.16", "33.96"]
