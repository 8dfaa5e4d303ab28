"""The documents' own arithmetic, checked on the built warehouse where the samples are consistent.

These catch column mix-ups in the recognisers: a shifted column breaks 合计 = 基本 + 项目 at once.
(The full check engine with its report is `etl check`; these are the invariants the samples keep.)
"""

from decimal import Decimal as D


def _rows(con, family):
    out = {}
    for doc, table, row, page, measure, amount in con.execute(
        "SELECT doc_id, table_id, row_index, page, measure, amount_yuan FROM core_table_facts "
        "WHERE table_family = ? AND item_key IN ('total', 'function')",
        [family],
    ).fetchall():
        out.setdefault((doc, table, page, row), {})[measure] = amount
    return out


def test_total_is_basic_plus_project_in_every_expenditure_row(con):
    checked = 0
    for family in ("expenditure", "gpb_expenditure"):
        for key, m in _rows(con, family).items():
            if "total" in m and ("basic" in m or "project" in m):
                assert m["total"] == m.get("basic", 0) + m.get("project", 0), (family, key, m)
                checked += 1
    assert checked >= 40


def test_basic_is_sum_of_economic_columns(con):
    checked = 0
    for key, m in _rows(con, "expenditure").items():
        parts = [m[p] for p in ("wages", "family_subsidy", "goods_services", "capital") if p in m]
        if "basic" in m and parts:
            assert m["basic"] == sum(parts), (key, m)
            checked += 1
    assert checked >= 10


def test_class_equals_sum_of_kuan_equals_sum_of_xiang(con):
    rows = con.execute(
        "SELECT doc_id, table_id, function_code, amount_yuan FROM core_table_facts "
        "WHERE table_family = 'expenditure' AND item_key = 'function' AND measure = 'total'"
    ).fetchall()
    by_table = {}
    for doc, table, code, amount in rows:
        by_table.setdefault((doc, table), {})[code] = amount
    checked = 0
    for codes in by_table.values():
        for lei in [c for c in codes if len(c) == 3]:
            kuan = [a for c, a in codes.items() if len(c) == 5 and c.startswith(lei)]
            xiang = [a for c, a in codes.items() if len(c) == 7 and c.startswith(lei)]
            if kuan:
                assert codes[lei] == sum(kuan) == sum(xiang), (lei, codes)
                checked += 1
    assert checked == 3  # 盐池 prints 类/款/项 rows: 208, 210, 221


def test_personnel_plus_public_is_basic(con):
    rows = con.execute(
        "SELECT county, basic_expenditure, personnel_expenditure, public_expenditure FROM county_year_summary "
        "WHERE personnel_expenditure IS NOT NULL AND basic_expenditure IS NOT NULL"
    ).fetchall()
    assert {r[0] for r in rows} == {"获嘉县", "孟津区", "盐池县", "香河县"}
    for county, basic, personnel, public in rows:
        assert basic == personnel + public, county


def test_stated_shares_match_the_figures_at_printed_precision(con):
    rows = con.execute(
        "SELECT c.amount_yuan, c.pct_printed, s.total_expenditure FROM core_claims c "
        "JOIN core_documents d USING (doc_id) JOIN county_year_summary s "
        "ON s.county = d.county AND s.fiscal_year = d.fiscal_year AND s.stage = d.stage "
        "WHERE c.claim_type = 'share' AND c.topic IN ('basic', 'project')"
    ).fetchall()
    assert len(rows) >= 6
    for amount, pct, total in rows:
        assert abs(amount / total - pct) <= D("0.00005"), (amount, pct, total)


def test_unknown_county_still_parses(tmp_path):
    from tests.conftest import RAW, STEMS

    text = (RAW / f"{STEMS['huojia']}.txt").read_text(encoding="utf-8").replace("获嘉县", "火星县")
    (tmp_path / "mars.txt").write_text(text, encoding="utf-8")
    from etl.pipeline import parse_file

    p = parse_file(tmp_path / "mars.txt")
    assert p.info["unit_name"] == "火星县社会保险中心" and p.info["county"] is None
    assert p.info["fiscal_year"] == 2024 and p.doc_id.endswith("-2024-budget-" + p.doc_id.split("-")[-1])
    assert any(f["amount_yuan"] == D("58547600.00") for f in p.facts.rows["core_table_facts"])


def test_sangong_total_is_printed_else_the_sum_of_all_four_components(warehouse, tmp_path):
    """The one 三公 total rule (int_sangong): 盐池 prints its totals (30,000.00 budget, 7,635.90 actual);
    without the printed total rows the total is the sum of the four printed components (0 + 0 +
    30,000.00 + 0 and 0 + 0 + 7,635.90 + 0), and with one component missing as well there is none."""
    import shutil

    import duckdb

    copy = tmp_path / "w.duckdb"
    shutil.copy(warehouse, copy)
    con = duckdb.connect(str(copy))
    doc = con.execute("SELECT doc_id FROM core_documents WHERE county = '盐池县'").fetchone()[0]

    def totals():
        return {
            (kind, amount, source == "四项之和（文件未印合计）")
            for kind, amount, source in con.execute(
                "SELECT kind, amount_yuan, source FROM int_sangong WHERE doc_id = ? AND component = 'total'", [doc]
            ).fetchall()
        }

    def figures():
        return dict(
            con.execute(
                "SELECT figure, amount_yuan FROM int_figure_candidates WHERE doc_id = ? AND figure LIKE 'sangong_%'",
                [doc],
            ).fetchall()
        )

    assert totals() == {("budget", D("30000.00"), False), ("actual", D("7635.90"), False)}
    con.execute(
        "DELETE FROM core_table_facts WHERE doc_id = ? AND table_family = 'sangong' AND item_key = 'sangong_total'", [doc]
    )
    con.execute("DELETE FROM core_claims WHERE doc_id = ? AND topic = 'sangong_total'", [doc])
    assert totals() == {("budget", D("30000.00"), True), ("actual", D("7635.90"), True)}
    assert figures() == {"sangong_budget": D("30000.00"), "sangong_actual": D("7635.90")}
    con.execute(
        "DELETE FROM core_table_facts WHERE doc_id = ? AND table_family = 'sangong' AND item_key = 'sangong_reception'", [doc]
    )
    con.execute("DELETE FROM core_claims WHERE doc_id = ? AND topic = 'sangong_reception'", [doc])
    assert totals() == set() and figures() == {}  # three of four components: not disclosed, never a partial sum
    con.close()


def test_unit_kind_and_partial_recorded(con):
    """Every sample is a 社会保险 agency's full disclosure (its title names 社会保险…; template tables)."""
    rows = con.execute("SELECT county, unit_kind, is_partial FROM core_documents ORDER BY county").fetchall()
    assert {(kind, partial) for _c, kind, partial in rows} == {("社保", False)} and len(rows) == 5
