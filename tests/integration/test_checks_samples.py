"""勾稽核验 on the five samples: every real inconsistency found by reading them, and nothing else."""

import subprocess
import sys
from decimal import Decimal as D

from tests.conftest import ROOT


def failures(con):
    return sorted(
        con.execute(
            "SELECT d.county, c.check_name, c.printed_value, c.implied_value FROM check_results c "
            "JOIN core_documents d USING (doc_id) WHERE c.status = 'fail'"
        ).fetchall()
    )


def test_exactly_the_real_inconsistencies(con):
    assert failures(con) == sorted(
        [
            # 孟津: 增加 15074.42 万元 "增长 80.24%" = 15074.42 / 18786.35 (本年); on 上年 3711.93 it is 406.11%.
            # Printed twice (收支总计 and 一般公共预算收支预算).
            ("孟津区", "yoy_rate_on_prior_year", D("0.802400"), D("4.061073")),
            ("孟津区", "yoy_rate_on_prior_year", D("0.802400"), D("4.061073")),
            # 盐池: 1,578,669.08 on 13,060,802.17 is 13.75% (as 一、 prints), but 四、 prints 13.84% for the same change.
            ("盐池县", "one_rate_per_change", D("0.138400"), D("0.137500")),
            ("盐池县", "yoy_rate_on_prior_year", D("0.138400"), D("0.137489")),
            # 盐池 民族团结奖 自评表: 二级指标 labelled (10 分) hold indicators of 13, 13 and 14 points.
            ("盐池县", "self_eval_group_points", D("10.000000"), D("13.000000")),
            ("盐池县", "self_eval_group_points", D("10.000000"), D("13.000000")),
            ("盐池县", "self_eval_group_points", D("10.000000"), D("14.000000")),
            # 孟津 改革补差经费 (97.00 万元): 成本指标 "预算成本 ≤97元".
            ("孟津区", "cost_target_matches_project_amount", D("97.000000"), D("970000.000000")),
            # 获嘉: 目录 says "2022 年部门预算情况说明" in the 2024 budget.
            ("获嘉县", "stated_year_consistent", D("2022.000000"), D("2024.000000")),
            # 香河: 基本支出 1603.76 + 项目支出 3228.14 ≠ 33891.90 (32288.14 would fit).
            ("香河县", "stated_parts_add_up", D("338919000.000000"), D("48319000.000000")),
            # 香河: 三公 "与2021年相比持平" in a 2023 budget (elsewhere: 与2022年).
            ("香河县", "flat_claim_compares_prior_year", D("2021.000000"), D("2022.000000")),
            # 香河: 固定资产表 "编制单位：香河县就业服务中心".
            ("香河县", "unit_name_consistent", None, None),
        ]
    )


def test_consistent_rounded_figures_pass(con):
    rows = dict(
        ((r[0], r[1]), r[2])
        for r in con.execute(
            "SELECT d.county, c.item, c.status FROM check_results c JOIN core_documents d USING (doc_id) "
            "WHERE c.check_name IN ('yoy_rate_on_prior_year', 'share_matches_figures')"
        ).fetchall()
    )
    # 获嘉 606.99 / 5247.77 = 11.5667% printed 11.57%; 盐池 基本支出 占 18.67%.
    assert rows[("获嘉县", "「收入、支出」增加率")] == "pass"
    assert rows[("盐池县", "「基本支出」占比")] == "pass"
    checked = con.execute("SELECT count(*) FROM check_results WHERE status = 'pass'").fetchone()[0]
    assert checked > 400


def test_every_result_is_traceable(con):
    bad = con.execute(
        "SELECT count(*) FROM check_results WHERE page IS NULL OR source_file IS NULL "
        "OR message IS NULL OR tolerance_rule IS NULL AND status <> 'not_applicable' "
        "AND check_group <> 'identity'"
    ).fetchone()
    assert bad == (0,)


def test_summary_figures_carry_their_check_status(con):
    flags = {
        (r[0], r[1]): (r[2], r[3])
        for r in con.execute(
            "SELECT county, figure, checks_failed, worst_severity FROM county_year_summary_flags"
        ).fetchall()
    }
    assert flags[("香河县", "total_expenditure")] == (1, "high")
    assert flags[("获嘉县", "total_expenditure")][0] == 0
    # A rate stated for 收支总计 / 一般公共预算 (孟津 80.24%, 盐池 13.84%) is not the rate of 本年支出合计:
    # its failure is not shown beside the summary's 同比, which these documents leave empty.
    assert ("孟津区", "yoy_pct") not in flags and ("盐池县", "yoy_pct") not in flags
    # 香河 states its change of 预算收支安排 (本年支出合计): 33891.90 − 1940.12; no rate printed.
    assert ("香河县", "yoy_pct") not in flags


def test_yoy_only_on_the_same_figure(con):
    rows = {
        r[0]: r[1:] for r in con.execute("SELECT county, prior_year_total, yoy_pct FROM county_year_summary").fetchall()
    }
    # 盐池 (决算): 收、支总计 13,060,802.17 includes 年初结转和结余 76,659.27; 本年支出合计 is 12,984,142.90.
    # Its changes (+1,578,669.08 on 收、支总计, 财政拨款收、支总计 and 一般公共预算财政拨款支出) give no
    # prior year of 本年支出合计.
    assert rows["盐池县"] == (None, None)
    assert rows["获嘉县"] == (None, None) and rows["孟津区"] == (None, None)
    assert rows["香河县"] == (D("358320200.00"), D("-0.054145"))
    facts = sorted(
        con.execute(
            "SELECT figure, fiscal_year, stage, amount_yuan, current_amount_yuan FROM core_prior_year_facts "
            "WHERE doc_id IN (SELECT doc_id FROM core_documents WHERE county = '盐池县') "
            "AND (figure LIKE '%total%' OR figure = 'gpb_expenditure')"
        ).fetchall()
    )
    assert facts == [
        ("fiscal_grand_total", 2023, "final", D("11482133.09"), D("13060802.17")),
        ("gpb_expenditure", 2023, "final", D("11405473.82"), D("12984142.90")),
        ("grand_total", 2023, "final", D("11482133.09"), D("13060802.17")),
        ("sangong_total", 2023, "final", D("22673.66"), D("7635.90")),
        ("sangong_vehicle_total", 2023, "final", D("22673.66"), D("7635.90")),
    ]


def test_completeness_scores(con):
    scores = dict(con.execute("SELECT county, completeness_score FROM completeness_scores").fetchall())
    # 获嘉 lacks the 部门收入总表 (listed in its own 目录); 孟津 prints 三公 and 政府性基金 tables empty
    # without saying why (half each).
    assert scores["盐池县"] == D("1.0000") and scores["获嘉县"] == D("0.9333") and scores["孟津区"] == D("0.9333")
    missing = con.execute(
        "SELECT item_zh FROM core_completeness JOIN core_documents USING (doc_id) "
        "WHERE county = '获嘉县' AND status = 'missing'"
    ).fetchall()
    assert missing == [("部门收入总表",)]


def test_check_command_orders_by_severity(warehouse):
    out = subprocess.run(
        [sys.executable, "-m", "etl", "check", "--db", str(warehouse)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith("[")]
    assert len(lines) == 12 and lines[0].startswith("[严重] 香河县") and lines[-1].startswith("[轻微]")
    assert "第32行" in lines[0] and "fail 12" in out.stdout


def test_project_ids_per_document(con):
    rows = con.execute(
        "SELECT d.county, count(*), count(DISTINCT p.project_id), "
        "count(*) FILTER (WHERE p.project_id IS NULL) FROM core_projects p JOIN core_documents d USING (doc_id) "
        "GROUP BY d.county"
    ).fetchall()
    # 获嘉: 4 projects in 项目支出表 and again (with codes) in 绩效目标汇总表; 孟津: "共12个项目", twice;
    # 井研: 15 绩效目标表 rows; 盐池: 5 自评表; 香河: 20 绩效目标表, two of them titled with the same
    # project (冀财社【2022】170号…), so 19.
    assert {r[0]: r[1:] for r in rows} == {
        "获嘉县": (8, 4, 0),
        "孟津区": (24, 12, 0),
        "井研县": (15, 15, 0),
        "盐池县": (5, 5, 0),
        "香河县": (20, 19, 0),
    }
    # Unique within a table: two rows of one table are two projects, never one id.
    clash = con.execute(
        "SELECT doc_id, project_id, table_title, count(*) FROM core_projects GROUP BY ALL HAVING count(*) > 1"
    ).fetchall()
    assert clash == []
    # Indicators carry the id of their project.
    orphan = con.execute(
        "SELECT count(*) FROM core_performance_indicators i WHERE i.project_name IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM core_projects p WHERE p.doc_id = i.doc_id AND p.project_id = i.project_id)"
    ).fetchone()
    assert orphan == (0,)


def test_text_and_pdf_copies_agree(con):
    # Each sample comes as .txt and .pdf: one disclosure, two copies that must carry the same facts.
    rows = con.execute(
        "SELECT d.county, r.status, r.check_group, r.item FROM check_results r JOIN core_documents d USING (doc_id) "
        "WHERE r.check_name = 'copies_agree' ORDER BY 1"
    ).fetchall()
    assert rows == [
        (c, "pass", "cross_document", "2 个副本") for c in ("井研县", "孟津区", "盐池县", "获嘉县", "香河县")
    ]
