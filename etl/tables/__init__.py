"""One recogniser module per table family; `RECOGNISERS` maps family -> parse function."""

from __future__ import annotations

from etl.tables import classification, econ, performance, projects, sangong, summary

RECOGNISERS = {
    "summary": summary.parse_summary,
    "fiscal_summary": summary.parse_summary,
    "expenditure": classification.parse_expenditure,
    "gpb_expenditure": classification.parse_expenditure,
    "gov_fund": classification.parse_expenditure,
    "soe_capital": classification.parse_expenditure,
    "income": classification.parse_income,
    "basic_econ": econ.parse_econ,
    "econ_summary": econ.parse_econ,
    "sangong": sangong.parse_sangong,
    "projects": projects.parse_projects,
    "dept_performance": performance.parse_dept_performance,
    "project_performance": performance.parse_project_performance,
    "self_evaluation": performance.parse_self_evaluation,
}
