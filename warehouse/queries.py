"""Named, parameterised queries the pages read. Pages never write SQL; user input is only ever
bound as a parameter, never formatted into a statement."""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.db import query

QUERIES: dict[str, str] = {
    "summary": """
        SELECT * FROM county_year_summary
        WHERE (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], county))
          AND (len(?::INTEGER[]) = 0 OR list_contains(?::INTEGER[], fiscal_year))
          AND (? IS NULL OR stage = ?)
        ORDER BY province, county, fiscal_year, stage""",
    "filter_options": """
        SELECT list(DISTINCT county ORDER BY county) AS counties,
               list(DISTINCT fiscal_year ORDER BY fiscal_year) AS years
        FROM core_documents WHERE county IS NOT NULL""",
    "documents": """
        SELECT d.county, d.unit_name, d.fiscal_year, d.stage, d.page_count, d.source_count, d.primary_file,
               (SELECT string_agg(f.file_name, '、' ORDER BY f.file_name) FROM core_source_files f
                 WHERE f.doc_id = d.doc_id) AS files
        FROM core_documents d ORDER BY d.county, d.fiscal_year""",
    "failed_files": "SELECT file_name, message FROM core_source_files WHERE status = 'failed' ORDER BY file_name",
}


def summary(cur: duckdb.DuckDBPyConnection, counties: list[str], years: list[int], stage: str | None) -> pl.DataFrame:
    return query(cur, QUERIES["summary"], [counties, counties, years, years, stage, stage])


def filter_options(cur: duckdb.DuckDBPyConnection) -> tuple[list[str], list[int]]:
    row = query(cur, QUERIES["filter_options"]).row(0)
    return list(row[0] or []), list(row[1] or [])


def documents(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(cur, QUERIES["documents"])


def failed_files(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(cur, QUERIES["failed_files"])
