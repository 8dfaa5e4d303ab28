"""三公 table variants (#18 item 4, #17): a plain 合计 that includes 会议费 and 培训费 is never the 三公
total, and the 决算数对比情况表 gives the current year's 决算 and the prior year's stated figures."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.layout import LogicalTable
from etl.model import Row
from etl.pipeline import parse_file
from etl.tables.sangong import INCLUDING_TOTAL, SPLIT_NOTE, UNSPLIT_NOTE, comparison_columns, parse_sangong

BUDGET_OPENING = "兴国县社会保险服务中心2024年部门预算\n2024年支出预算总计1234.56万元。\n"
FINAL_OPENING = "兴国县社会保险服务中心2023年度部门决算\n2023年度支出决算总计1234.56万元。\n"
MEETING_HEADER = (
    "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\t会议费\t培训费\n"
    "\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t\n"
)


def _parse(tmp_path, text: str):
    path = tmp_path / "d.txt"
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


def _sangong(parsed) -> dict[tuple[str, str], tuple[D, str | None]]:
    return {
        (f["item_key"], f["measure"]): (f["amount_yuan"], f["amount_printed"])
        for f in parsed.facts.rows["core_table_facts"]
        if f["table_family"] == "sangong"
    }


def _notes(parsed) -> list[str]:
    return [n["note"] for n in parsed.facts.rows.get("core_parse_notes", [])]


def test_plain_total_including_meeting_and_training_is_split(tmp_path):
    """合计 13.70 = 三公 3.50 (0.00 + 2.00 + 1.50) + 会议费 4.20 + 培训费 6.00."""
    text = (
        BUDGET_OPENING
        + "2024年财政拨款“三公”经费、会议费和培训费支出预算表\n单位：万元\n"
        + MEETING_HEADER
        + "13.70\t0.00\t2.00\t0.00\t2.00\t1.50\t4.20\t6.00\n"
    )
    parsed = _parse(tmp_path, text)
    got = _sangong(parsed)
    assert got[("sangong_total", "budget")] == (D("35000.00"), None)  # derived: 13.70 − 4.20 − 6.00
    assert got[(f"sangong_{INCLUDING_TOTAL}", "budget")] == (D("137000.00"), "13.70")
    assert got[("sangong_meeting", "budget")] == (D("42000.00"), "4.20")
    assert got[("sangong_training", "budget")] == (D("60000.00"), "6.00")
    assert got[("sangong_reception", "budget")] == (D("15000.00"), "1.50")
    assert _notes(parsed) == [SPLIT_NOTE]


def test_plain_total_of_the_three_only_is_the_sangong_total(tmp_path):
    text = (
        BUDGET_OPENING
        + "2024年财政拨款“三公”经费、会议费和培训费支出预算表\n单位：万元\n"
        + MEETING_HEADER
        + "3.50\t0.00\t2.00\t0.00\t2.00\t1.50\t4.20\t6.00\n"
    )
    parsed = _parse(tmp_path, text)
    got = _sangong(parsed)
    assert got[("sangong_total", "budget")] == (D("35000.00"), "3.50")
    assert (f"sangong_{INCLUDING_TOTAL}", "budget") not in got and _notes(parsed) == []


def test_plain_total_that_adds_up_neither_way_is_not_a_sangong_total(tmp_path):
    """Not disclosed is NULL: a 合计 that is neither the parts nor the parts + 会议费 + 培训费."""
    text = (
        BUDGET_OPENING
        + "2024年财政拨款“三公”经费、会议费和培训费支出预算表\n单位：万元\n"
        + MEETING_HEADER
        + "9.99\t0.00\t2.00\t0.00\t2.00\t1.50\t4.20\t6.00\n"
    )
    parsed = _parse(tmp_path, text)
    got = _sangong(parsed)
    assert ("sangong_total", "budget") not in got
    assert got[(f"sangong_{INCLUDING_TOTAL}", "budget")] == (D("99900.00"), "9.99")
    assert _notes(parsed) == [UNSPLIT_NOTE]


def test_final_table_splits_each_stage(tmp_path):
    header = MEETING_HEADER.rstrip("\n").split("\n")
    text = (
        FINAL_OPENING
        + "2023年度财政拨款“三公”经费、会议费和培训费支出决算表\n单位：万元\n"
        + "预算数\t\t\t\t\t\t\t\t决算数\t\t\t\t\t\t\t\n"
        + header[0]
        + "\t"
        + header[0]
        + "\n"
        + header[1]
        + "\t"
        + header[1]
        + "\n"
        + "12.00\t0.00\t3.00\t0.00\t3.00\t2.00\t3.00\t4.00\t"
        + "5.00\t0.00\t2.50\t0.00\t2.50\t0.50\t1.00\t1.00\n"
    )
    got = _sangong(_parse(tmp_path, text))
    assert got[("sangong_total", "budget")] == (D("50000.00"), None)  # 12.00 − 3.00 − 4.00
    assert got[("sangong_total", "actual")] == (D("30000.00"), None)  # 5.00 − 1.00 − 1.00
    assert got[("sangong_vehicle_total", "actual")] == (D("25000.00"), "2.50")


COMPARISON = (
    FINAL_OPENING
    + "2023年度“三公”经费决算数对比情况表\n单位：万元\n"
    + "项目\t上年决算数\t本年决算数\t增减额\t增减幅度\n"
    + "因公出国（境）费\t0.00\t0.00\t0.00\t0.00%\n"
    + "公务用车购置及运行费\t5.20\t4.80\t-0.40\t-7.69%\n"
    + "其中：公务用车购置费\t0.00\t0.00\t0.00\t\n"
    + "公务用车运行维护费\t5.20\t4.80\t-0.40\t-7.69%\n"
    + "公务接待费\t1.10\t0.90\t-0.20\t-18.18%\n"
    + "合计\t6.30\t5.70\t-0.60\t-9.52%\n"
)


def test_comparison_table_gives_current_actual_and_prior_year_figures(tmp_path):
    parsed = _parse(tmp_path, COMPARISON)
    assert parsed.info["stage"] == "final" and parsed.info["fiscal_year"] == 2023
    got = _sangong(parsed)
    assert got == {
        ("sangong_abroad", "actual"): (D("0.00"), "0.00"),
        ("sangong_vehicle_total", "actual"): (D("48000.00"), "4.80"),
        ("sangong_vehicle_purchase", "actual"): (D("0.00"), "0.00"),
        ("sangong_vehicle_operation", "actual"): (D("48000.00"), "4.80"),
        ("sangong_reception", "actual"): (D("9000.00"), "0.90"),
        ("sangong_total", "actual"): (D("57000.00"), "5.70"),
    }
    priors = {
        p["figure"]: (p["fiscal_year"], p["stage"], p["amount_yuan"], p["current_amount_yuan"])
        for p in parsed.facts.rows["core_prior_year_facts"]
        if p["figure"].startswith("sangong_")
    }
    assert priors["sangong_total"] == (2022, "final", D("63000.00"), D("57000.00"))
    assert priors["sangong_vehicle_operation"] == (2022, "final", D("52000.00"), D("48000.00"))
    assert priors["sangong_reception"] == (2022, "final", D("11000.00"), D("9000.00"))
    status = [s for s in parsed.facts.rows["core_table_status"] if s["table_family"] == "sangong"]
    assert [s["status"] for s in status] == ["present"]


def test_comparison_columns_named_by_years():
    header = [Row(cells=["项目", "2022年决算数", "2023年决算数", "增减额", "增减率"], page=1, line=1, index=0)]
    assert comparison_columns(header) == {
        "prior_actual": (1, 2022),
        "actual": (2, 2023),
        "change": (3, None),
        "change_rate": (4, None),
    }
    words = [Row(cells=["项目", "上年决算数", "本年预算数", "本年决算数"], page=1, line=1, index=0)]
    assert comparison_columns(words) == {"prior_actual": (1, None), "budget": (2, None), "actual": (3, None)}
    assert comparison_columns([Row(cells=["项目", "增减额", "增减幅度"], page=1, line=1, index=0)]) == {}


def test_budget_and_final_of_the_year_as_columns(tmp_path):
    """预决算对比: components as rows, 预算数 and 决算数 of the same year as columns; a plain 合计
    row beside 会议费 and 培训费 rows is split as in the column layout."""
    text = (
        FINAL_OPENING
        + "2023年度“三公”经费、会议费和培训费预决算对比表\n单位：万元\n"
        + "项目\t预算数\t决算数\t完成率\n"
        + "因公出国（境）费\t0.00\t0.00\t\n"
        + "公务用车购置及运行费\t3.00\t2.50\t83.33%\n"
        + "公务接待费\t2.00\t0.50\t25.00%\n"
        + "会议费\t3.00\t1.00\t33.33%\n"
        + "培训费\t4.00\t1.00\t25.00%\n"
        + "合计\t12.00\t5.00\t41.67%\n"
    )
    parsed = _parse(tmp_path, text)
    got = _sangong(parsed)
    assert got[("sangong_total", "budget")] == (D("50000.00"), None)  # 12.00 − 3.00 − 4.00
    assert got[("sangong_total", "actual")] == (D("30000.00"), None)  # 5.00 − 1.00 − 1.00
    assert got[(f"sangong_{INCLUDING_TOTAL}", "actual")] == (D("50000.00"), "5.00")
    assert got[("sangong_vehicle_total", "actual")] == (D("25000.00"), "2.50")
    assert got[("sangong_meeting", "budget")] == (D("30000.00"), "3.00")
    assert _notes(parsed) == [SPLIT_NOTE, SPLIT_NOTE]
    assert not parsed.facts.rows.get("core_prior_year_facts")


def test_budget_years_as_columns_state_the_prior_budget(tmp_path):
    text = (
        BUDGET_OPENING
        + "2024年“三公”经费预算情况表\n单位：万元\n"
        + "项目\t2023年预算数\t2024年预算数\t增减额\n"
        + "因公出国（境）费\t0.00\t0.00\t0.00\n"
        + "公务用车购置及运行费\t2.00\t1.80\t-0.20\n"
        + "公务接待费\t1.00\t1.00\t0.00\n"
        + "合计\t3.00\t2.80\t-0.20\n"
    )
    parsed = _parse(tmp_path, text)
    assert _sangong(parsed)[("sangong_total", "budget")] == (D("28000.00"), "2.80")
    (total,) = [p for p in parsed.facts.rows["core_prior_year_facts"] if p["figure"] == "sangong_total"]
    assert (total["fiscal_year"], total["stage"], total["amount_yuan"]) == (2023, "budget", D("30000.00"))
    assert total["subject"] == "合计上年预算数" and total["current_amount_yuan"] == D("28000.00")


def _table(rows: list[list[str]]) -> LogicalTable:
    return LogicalTable(
        title="财政拨款“三公”经费、会议费和培训费支出预算表",
        rows=[Row(cells=r, page=1, line=i + 2, index=i) for i, r in enumerate(rows)],
        unit="万元",
        unit_source="title",
        page=1,
        line=1,
        family="sangong",
    )


_CENTS = st.decimals(min_value=0, max_value=9999, places=2)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(_CENTS, _CENTS, _CENTS, _CENTS, _CENTS, st.booleans())
def test_sangong_total_never_includes_meeting_or_training(abroad, vehicle, reception, meeting, training, includes):
    """Whether the printed 合计 includes 会议费 and 培训费 or not, `sangong_total` is the three parts."""
    from etl.facts import Facts

    parts = abroad + vehicle + reception
    total = parts + (meeting + training if includes else 0)
    rows = [
        ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费", "会议费", "培训费"],
        [f"{v:.2f}" for v in (total, abroad, vehicle, reception, meeting, training)],
    ]
    facts = Facts()
    parse_sangong(_table(rows), facts, {})
    got = {f["item_key"]: f["amount_yuan"] for f in facts.rows["core_table_facts"]}
    assert got["sangong_total"] == parts * 10000
    assert got["sangong_meeting"] == meeting * 10000 and got["sangong_training"] == training * 10000
