"""勾稽核验: checks of each disclosure's own arithmetic, run after parsing.

Every check yields one result per place it looks at: `pass`, `fail` or `not_applicable`, with
the printed value, the value the document's other figures imply, the tolerance it used and a
Chinese message a finance officer can act on. A printed figure is consistent when it equals the
implied one at the printed precision: sums of figures printed in 万元 with two decimals may differ
by half a unit per rounded term; figures printed in 元 with fen must add up exactly.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from rules import units

ZERO = units.ZERO


def half_unit(fact: dict) -> Decimal:
    """Half of the last printed digit of an amount fact, in 元 (rules.units.half_unit: 0 for 元
    amounts printed to the fen)."""
    return units.half_unit(fact.get("printed_unit"), fact.get("printed_decimals"))


@dataclass
class DocView:
    """The facts of one document, with lookups the checks share."""

    rows: dict[str, list[dict]]
    info: dict
    _cache: dict = field(default_factory=dict)

    def facts(self, **match) -> list[dict]:
        """Facts whose fields equal `match`; indexed once per set of keys (checks ask thousands of
        times per document, and a scan each time made checking slower than parsing)."""
        keys = tuple(sorted(match))
        index = self._cache.get(keys)
        if index is None:
            index = {}
            for f in self.rows.get("core_table_facts", []):
                index.setdefault(tuple(f.get(k) for k in keys), []).append(f)
            self._cache[keys] = index
        return list(index.get(tuple(match[k] for k in keys), ()))

    def first(self, **match) -> dict | None:
        found = self.facts(**match)
        return found[0] if found else None

    def claims(self, **match) -> list[dict]:
        return [c for c in self.rows.get("core_claims", []) if all(c.get(k) == v for k, v in match.items())]


@dataclass
class Result:
    check_name: str
    check_group: str
    severity: str
    status: str
    item: str
    message: str
    printed_value: Decimal | None = None
    implied_value: Decimal | None = None
    tolerance: Decimal | None = None
    tolerance_rule: str | None = None
    value_unit: str = units.YUAN
    figure: str | None = None
    evidence: str | None = None
    table_title: str | None = None
    page: int | None = None
    line: int | None = None
    row_index: int | None = None

    def at(self, src: dict | None) -> Result:
        if src:
            self.table_title = src.get("table_title", self.table_title)
            self.page, self.line, self.row_index = src.get("page"), src.get("line"), src.get("row_index")
            if src.get("sentence") and not self.evidence:
                self.evidence = src["sentence"]
        return self

    def as_row(self) -> dict:
        diff = None
        if self.printed_value is not None and self.implied_value is not None:
            diff = self.printed_value - self.implied_value
        return dict(
            check_name=self.check_name,
            check_group=self.check_group,
            severity=self.severity,
            status=self.status,
            item=self.item,
            message=self.message,
            printed_value=self.printed_value,
            implied_value=self.implied_value,
            difference=diff,
            tolerance=self.tolerance,
            tolerance_rule=self.tolerance_rule,
            value_unit=self.value_unit,
            figure=self.figure,
            evidence=self.evidence,
            table_title=self.table_title,
            page=self.page,
            line=self.line,
            row_index=self.row_index,
        )


def compare(
    name: str,
    group: str,
    severity: str,
    item: str,
    printed: Decimal | None,
    implied: Decimal | None,
    tolerance: Decimal,
    rule: str,
    ok_msg: str,
    fail_msg: str,
    *,
    unit: str = units.YUAN,
    figure: str | None = None,
    src: dict | None = None,
) -> Result:
    if printed is None or implied is None:
        status, msg = "not_applicable", "缺少比较所需的数字"
    elif abs(printed - implied) <= tolerance:
        status, msg = "pass", ok_msg
    else:
        status, msg = "fail", fail_msg
    return Result(name, group, severity, status, item, msg, printed, implied, tolerance, rule, unit, figure).at(src)


Check = Callable[[DocView], Iterable[Result]]
# Every per-document check, in registration order, with the check names it may emit.
CHECKS: list[Check] = []


def check(*names: str) -> Callable[[Check], Check]:
    """Register a per-document check under the `check_name`s it emits: `@check("a", "b")`. Every
    declared name is documented in docs/checks.md (tests/unit/test_checks_registry.py), and
    `run_checks` refuses a result under a name its check did not declare."""
    if not names or not all(isinstance(n, str) and n for n in names):
        raise TypeError("@check needs the check names the function emits: @check('name', ...)")

    def register(fn: Check) -> Check:
        fn.check_names = frozenset(names)  # type: ignore[attr-defined]
        CHECKS.append(fn)
        return fn

    return register


def check_modules() -> list[str]:
    """Every public module of this package (etl/checks/*.py whose name does not start with `_`),
    sorted: a new module dropped here is run without being listed anywhere."""
    return sorted(f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def _order(fn: Check) -> tuple[str, int]:
    return fn.__module__, fn.__code__.co_firstlineno


@functools.cache
def load_checks() -> tuple[str, ...]:
    """Import every check module once (their @check functions register themselves). Checks run in
    module-name order, each module's in the order they are written, whichever module some other
    code happened to import first."""
    names = tuple(check_modules())
    for name in names:
        importlib.import_module(name)
    CHECKS.sort(key=_order)
    return names


def check_names() -> set[str]:
    """Every check_name the checks can write to check_results: the names each per-document check
    declares, and the `CHECK_NAMES` a module declares for results it writes otherwise (the
    cross-document checks in SQL)."""
    modules = load_checks()
    names = {n for fn in CHECKS for n in fn.check_names}  # type: ignore[attr-defined]
    for name in modules:
        names |= set(getattr(sys.modules[name], "CHECK_NAMES", ()))
    return names


def run_checks(rows: dict[str, list[dict]], info: dict) -> list[dict]:
    """Every registered per-document check over one document's rows: check_results rows."""
    load_checks()
    view = DocView(rows, info)
    out: list[dict] = []
    for fn in CHECKS:
        declared = fn.check_names  # type: ignore[attr-defined]
        for r in fn(view):
            if r.check_name not in declared:
                raise ValueError(f"{fn.__module__}.{fn.__name__} emitted the undeclared check {r.check_name!r}")
            out.append(r.as_row())
    return out


def iter_rows(facts: list[dict]) -> Iterator[tuple[tuple, dict[str, dict]]]:
    """Facts grouped per printed row: (table_id, page, row_index) -> {measure: fact}."""
    grouped: dict[tuple, dict[str, dict]] = {}
    for f in facts:
        grouped.setdefault((f["table_id"], f["page"], f["row_index"]), {})[f["measure"]] = f
    yield from grouped.items()
