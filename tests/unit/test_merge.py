"""merge_copies: the primary copy is chosen by quality, every disagreement between copies is a
conflict, tables printed twice in one file are read once, implausible fiscal years are refused.

Inputs are the 获嘉 sample (预算, 万元) and copies of it edited here: its tables printed twice,
its 绩效目标汇总表 padded with junk rows, one cell changed, its year changed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest

from etl.checks import run_checks
from etl.merge import MAX_PLAUSIBLE_PROJECTS, copy_quality, merge_copies
from etl.model import DocumentError
from etl.pipeline import parse_file, plausible_fiscal_year
from tests.conftest import RAW, STEMS

HJ = RAW / f"{STEMS['huojia']}.txt"
TEXT = HJ.read_text(encoding="utf-8")
TABLES_START = TEXT.index("2024年部门收支总体情况表")
JUNK_ROWS = MAX_PLAUSIBLE_PROJECTS + 200


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    # Named so that it sorts *after* the bad copies: the old rule's file-name tie-break cannot help it.
    return _write(tmp_path_factory.mktemp("c"), "z_clean.txt", TEXT)


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    return _write(tmp_path_factory.mktemp("t"), "a_twice.txt", TEXT + "\n\n" + TEXT[TABLES_START:])


@pytest.fixture(scope="module")
def junk(tmp_path_factory):
    rows = "".join(f"41072424{n:012d}\t填充行{n}\t1.00\t1.00\n" for n in range(JUNK_ROWS))
    return _write(tmp_path_factory.mktemp("j"), "a_junk.txt", TEXT + "\n" + rows)


def _fails(rows):
    return sorted(r["check_name"] for r in rows if r["status"] == "fail")


def test_single_copy_rows(clean):
    primary, rows = merge_copies([clean])
    assert primary is clean
    (doc,) = rows["core_documents"]
    assert (doc["unit_name"], doc["fiscal_year"], doc["stage"], doc["source_count"]) == (
        "获嘉县社会保险中心",
        2024,
        "budget",
        1,
    )
    assert doc["primary_file"] == "z_clean.txt" and doc["doc_id"] == clean.doc_id
    # 4 projects in 项目支出表 + the same 4 in 绩效目标汇总表; the sample's one failure is its 2022 heading.
    assert len(rows["core_projects"]) == 8
    assert _fails(rows["check_results"]) == ["stated_year_consistent"]
    assert all(r["doc_id"] == clean.doc_id and r["source_file"] == "z_clean.txt" for r in rows["core_table_facts"])
    assert len(rows["check_results"]) == len(run_checks(clean.facts.rows, clean.info))
    assert not rows.get("core_conflicts")
    assert len(rows["core_completeness"]) == 15


def test_table_printed_twice_is_read_once(twice, clean):
    notes = [n for n in twice.facts.rows["core_parse_notes"] if "重复表格" in n["note"]]
    assert len(notes) == 10  # the ten recognised tables of the annex, printed a second time
    assert len(twice.facts.rows["core_projects"]) == 8
    # 141: the 140 table amounts read before #17 plus the 三公 table's total of 0 — printed empty with "…也无“三公”经费
    # 支出，故本表无数据。" (line 317), and its text says "“三公”经费预算为 0 万元" (line 90) (#17).
    assert len(twice.facts.rows["core_table_facts"]) == len(clean.facts.rows["core_table_facts"]) == 141
    # The raw cells keep what the file printed, both prints.
    assert len(twice.facts.rows["raw_cells"]) == 2 * len(clean.facts.rows["raw_cells"])
    assert _fails(run_checks(twice.facts.rows, twice.info)) == ["stated_year_consistent"]


def test_clean_copy_beats_copy_with_tables_printed_twice(twice, clean):
    # The doubled copy has more facts (its parse notes) and sorts first by name: quality decides.
    assert sum(len(v) for k, v in twice.facts.rows.items() if k.startswith("core_")) > sum(
        len(v) for k, v in clean.facts.rows.items() if k.startswith("core_")
    )
    for order in ([twice, clean], [clean, twice]):
        primary, rows = merge_copies(order)
        assert primary is clean
        assert rows["core_documents"][0]["source_count"] == 2
        assert len(rows["core_projects"]) == 8
        (conflict,) = rows["core_conflicts"]
        assert conflict["conflict_kind"] == "copies_count_differ"
        assert (conflict["item"], conflict["count_a"], conflict["count_b"]) == ("重复印制的表格数", 0, 10)
        assert (conflict["source_a"], conflict["source_b"]) == ("z_clean.txt", "a_twice.txt")


def test_junk_rows_fail_a_check_and_lose(junk, clean):
    projects = junk.facts.rows["core_projects"]
    assert len(projects) == 8 + JUNK_ROWS
    fails = [r for r in run_checks(junk.facts.rows, junk.info) if r["status"] == "fail"]
    (padded,) = [r for r in fails if r["check_name"] == "projects_within_project_expenditure"]
    # 4 real projects (5,783.96 万元) + JUNK_ROWS rows of 1.00 万元 against 项目支出 5,783.96 万元.
    assert padded["printed_value"] == D("57839600.00") + JUNK_ROWS * D("10000")
    assert padded["implied_value"] == D("57839600.00")
    assert copy_quality(junk) > copy_quality(clean)
    primary, rows = merge_copies([junk, clean])
    assert primary is clean and len(rows["core_projects"]) == 8
    counted = {c["item"]: (c["count_a"], c["count_b"]) for c in rows["core_conflicts"]}
    assert counted == {"项目数": (8, 8 + JUNK_ROWS)}


def test_copy_with_a_wrong_cell_loses_and_the_cell_is_a_conflict(tmp_path, clean):
    wrong = _write(
        tmp_path,
        "a_wrong.txt",
        TEXT.replace(
            "其他运转类\t工作经费\t获嘉县社会保险中心\t13.50\t13.50",
            "其他运转类\t工作经费\t获嘉县社会保险中心\t13.60\t13.50",
        ),
    )
    assert len(_fails(run_checks(wrong.facts.rows, wrong.info))) > 1
    primary, rows = merge_copies([wrong, clean])
    assert primary is clean
    (c,) = rows["core_conflicts"]
    assert c["conflict_kind"] == "copies_disagree"
    assert (c["value_a_yuan"], c["value_b_yuan"]) == (D("135000.00"), D("136000.00"))
    assert c["source_a"].startswith("z_clean.txt") and c["source_b"].startswith("a_wrong.txt")


def test_truncated_copy_loses_to_the_complete_one(tmp_path, clean):
    cut = TEXT.index("2024年项目支出表")
    short = _write(tmp_path, "a_short.txt", TEXT[:cut])
    assert copy_quality(short) > copy_quality(clean)
    primary, rows = merge_copies([short, clean])
    assert primary is clean
    counted = {c["item"]: (c["count_a"], c["count_b"]) for c in rows["core_conflicts"]}
    assert counted["项目数"] == (8, 0)
    # 项目支出表 (4 projects + 合计 + the 208 line + the unit line) and 绩效目标汇总表 合计 are gone.
    assert counted["表格金额数"] == (141, 141 - counted["仅见于一个副本的表格金额数"][0])
    assert counted["仅见于一个副本的表格金额数"][1] == 0


def test_copy_missing_one_row_is_recorded(tmp_path, clean):
    lines = TEXT.split("\n")
    kept = [x for x in lines if not x.startswith("其他运转类\t工作经费（其他）\t获嘉县社会保险中心\t18.27")]
    assert len(kept) == len(lines) - 1
    fewer = _write(tmp_path, "a_fewer.txt", "\n".join(kept))
    primary, rows = merge_copies([fewer, clean])
    assert primary is clean  # the missing row breaks the 项目支出表 合计
    counted = {c["item"]: (c["count_a"], c["count_b"]) for c in rows["core_conflicts"]}
    assert counted == {"项目数": (8, 7), "表格金额数": (141, 140), "仅见于一个副本的表格金额数": (1, 0)}


@pytest.mark.parametrize(("printed", "year"), [("九九九九", 9999), ("〇〇〇〇", 0), ("一九九九", 1999)])
def test_implausible_fiscal_year_is_refused(tmp_path, printed, year):
    text = TEXT
    for y in ("二〇二四", "2024", "2023", "2022"):
        text = text.replace(y, printed)
    path = tmp_path / "y.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DocumentError, match=rf"^implausible fiscal year {year} \(expected 2000\.\.\d{{4}}\)$"):
        parse_file(path)


def test_fiscal_year_range():
    today = datetime.date(2026, 6, 1)
    assert [plausible_fiscal_year(y, today) for y in (1999, 2000, 2028, 2029, None)] == [
        False,
        True,
        True,
        False,
        False,
    ]


def test_merge_needs_a_copy():
    with pytest.raises(ValueError):
        merge_copies([])


def test_text_and_pdf_of_one_sample_agree_and_text_is_primary():
    from tests.conftest import parsed

    pdf, txt = parsed(STEMS["jingyan"], "pdf"), parsed(STEMS["jingyan"])
    primary, rows = merge_copies([pdf, txt])
    assert primary is txt and rows["core_documents"][0]["source_count"] == 2
    assert not rows.get("core_conflicts")
    # 井研's 绩效目标表: 15 projects under 307002-井研县社会保险事务中心.
    assert len(rows["core_projects"]) == 15


def test_copies_spelling_their_unit_differently_are_one_disclosure_and_the_spelling_is_recorded(clean, tmp_path):
    # The same document, its title printed as a scan reads it (year glued to the unit) and as a
    # portal prints it (province in front, 本级 after): one disclosure, the primary's facts, and a
    # conflict row naming both spellings.
    head, rest = TEXT.split("获嘉县社会保险中心", 1)
    scan = _write(tmp_path, "scan.txt", "2024年度获嘉县社会保险中心" + rest)
    portal = _write(tmp_path, "portal.txt", head + "河南省获嘉县社会保险中心（本级）" + rest)
    assert scan.doc_key == portal.doc_key == clean.doc_key
    assert scan.doc_id == portal.doc_id == clean.doc_id
    primary, rows = merge_copies([clean, portal])
    (doc,) = rows["core_documents"]
    assert doc["source_count"] == 2 and doc["doc_id"] == clean.doc_id
    assert (scan.info["unit_name"], portal.info["unit_name"]) == ("获嘉县社会保险中心", "河南省获嘉县社会保险中心")
    names = [c for c in rows["core_conflicts"] if c["conflict_kind"] == "copies_name_differ"]
    assert len(names) == 1 and "河南省获嘉县社会保险中心" in names[0]["note"]
