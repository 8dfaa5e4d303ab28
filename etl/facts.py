"""Collector for the rows one document yields, one list per core table.

Recognisers append plain dicts; the pipeline adds document keys and the warehouse loader checks
every column against the declared schema, so a recogniser cannot invent an undocumented column.
"""

from __future__ import annotations

from collections import defaultdict

from etl.layout import LogicalTable
from etl.model import Row
from etl.normalize import ParsedNumber, to_yuan


class Facts:
    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = defaultdict(list)

    def add(self, table: str, **values) -> dict:
        self.rows[table].append(values)
        return values

    def amount(
        self,
        t: LogicalTable,
        row: Row,
        col: int | None,
        num: ParsedNumber,
        *,
        measure: str,
        section: str | None = None,
        row_label: str | None = None,
        item_key: str | None = None,
        function_code: str | None = None,
        function_code_printed: str | None = None,
        econ_code: str | None = None,
        econ_code_printed: str | None = None,
        gov_econ_code: str | None = None,
        code_resolution: str | None = None,
        unit: str | None = None,
    ) -> None:
        """One printed amount of a table, converted to 元 and traced to its cell."""
        printed_unit = unit or t.unit or "元"
        self.add(
            "core_table_facts",
            table_family=t.family,
            table_title=t.title,
            table_id=t.table_id,
            section=section,
            row_label=row_label,
            item_key=item_key,
            function_code=function_code,
            function_code_printed=function_code_printed,
            econ_code=econ_code,
            econ_code_printed=econ_code_printed,
            gov_econ_code=gov_econ_code,
            code_resolution=code_resolution,
            measure=measure,
            amount_yuan=to_yuan(num.value, printed_unit),
            amount_printed=num.printed,
            printed_unit=printed_unit,
            printed_decimals=num.decimals,
            page=row.page,
            line=row.line,
            row_index=row.index,
            col_index=col,
        )

    def project(
        self,
        t: LogicalTable,
        row: Row,
        name: str,
        amount: ParsedNumber | None,
        *,
        project_type: str | None = None,
        unit: str | None = None,
        executed: ParsedNumber | None = None,
    ) -> dict:
        """One project as a table lists it; amount None when the table names it without one."""
        printed_unit = (unit or t.unit) if amount is not None else None
        return self.add(
            "core_projects",
            project_name=name,
            project_type=project_type,
            amount_yuan=to_yuan(amount.value, printed_unit) if amount is not None else None,
            amount_printed=amount.printed if amount is not None else None,
            printed_unit=printed_unit,
            executed_yuan=to_yuan(executed.value, printed_unit) if executed is not None else None,
            source_family=t.family,
            table_title=t.title,
            page=row.page,
            line=row.line,
            row_index=row.index,
        )
