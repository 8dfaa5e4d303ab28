"""Amount units: one factor table, one half-unit rule, one way of printing money.

A disclosure prints amounts in 元, 千元, 万元 or 亿元; the warehouse stores 元. A printed figure is
exact to half a unit of its last printed digit (1,298.41 万元 stands for 12,984,050–12,984,150 元),
except 元 printed to the fen, which are book figures and must add up exactly. The same rule is
generated as SQL macros so the cross-document checks in DuckDB cannot drift from the Python checks.
"""

from __future__ import annotations

from decimal import Decimal

YUAN = "元"
# Every unit a disclosure prints, with its factor to 元.
UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(100000000),
}
# Units printed without 元 in running text ("国内公务接待支出0.39万(含外宾接待支出0.00万元)"): the full
# unit, but only where punctuation or the end of the text follows, so "12万份" and "29.02万人" stay
# counts (readers apply the lookahead; the amount is stored under the full unit's name).
UNIT_SHORT_FORMS: dict[str, str] = {"万": "万元", "亿": "亿元"}
# The units the dashboard and exports offer for display (a subset of UNIT_FACTORS).
DISPLAY_UNITS: tuple[str, ...] = ("元", "万元", "亿元")
DEFAULT_DISPLAY_UNIT = "万元"
# Amounts printed without fen have this many decimals assumed when nothing was recorded.
DEFAULT_DECIMALS = 2
ZERO = Decimal(0)


def factor(unit: str | None) -> Decimal:
    """Factor from `unit` to 元; None (no unit printed) is 元. An unknown unit raises: a silent 1
    would store 万元 figures as 元."""
    if unit is None or unit == "":
        return UNIT_FACTORS[YUAN]
    try:
        return UNIT_FACTORS[unit]
    except KeyError:
        raise ValueError(f"unknown amount unit: {unit!r}") from None


def decimals_of(printed: str | None) -> int:
    """Digits after the decimal point of a number as printed ('1,298.41' -> 2, '79' -> 0)."""
    text = (printed or "").strip()
    return len(text.split(".", 1)[1]) if "." in text else 0


def half_unit(unit: str | None, decimals: int | None) -> Decimal:
    """Half of the last printed digit, in 元: 0 for 元 printed to the fen (exact book figures)."""
    unit = unit or YUAN
    if decimals is None:
        decimals = DEFAULT_DECIMALS
    if unit == YUAN and decimals >= 2:
        return ZERO
    return Decimal("0.5") * Decimal(1).scaleb(-decimals) * factor(unit)


def last_digit(unit: str | None, decimals: int | None) -> Decimal:
    """One unit of the last printed digit, in 元 (twice half_unit, never 0): the step a truncated
    cell may lose."""
    if decimals is None:
        decimals = DEFAULT_DECIMALS
    return Decimal(1).scaleb(-decimals) * factor(unit)


def pct_half_unit(printed_pct: Decimal) -> Decimal:
    """Half a unit of the last printed digit of a fraction printed as a percentage
    (11.57 % is stored as 0.1157 -> 0.00005)."""
    exponent = printed_pct.normalize().as_tuple().exponent
    digits = max(0, -exponent - 2) if isinstance(exponent, int) else 0
    return Decimal("0.5") * Decimal(1).scaleb(-(digits + 2))


def sql_pct_half_unit(fraction_col: str) -> str:
    """pct_half_unit as SQL over a DECIMAL column holding the fraction (1.4505 printed as 145.05%):
    half a unit of the printed percentage's last digit, never coarser than 0.5 % (0.005)."""
    digits = f"length(split_part(rtrim(rtrim(CAST({fraction_col} AS VARCHAR), '0'), '.'), '.', 2))"
    return f"0.5 * pow(10, -greatest({digits}, 2))"


def money_text(v, unit_factor=1, signed: bool = False) -> str:
    """An amount (元) in a display unit, two decimals with thousands separators (a leading sign for
    a change when `signed`); None -> 未公开. Always through float, whether the amount comes as a
    Decimal (a figure read from the warehouse) or a float (the same figure as DOUBLE in the marts,
    a peer statistic): an exact Decimal division would print 12,250 元 as 1.22 万元 on a card and as
    1.23 万元 beside its peers; one path prints the same amount the same on every page and report."""
    if v is None:
        return "未公开"
    return format(float(v) / float(unit_factor), "+,.2f" if signed else ",.2f")


def yuan_text(v: Decimal | None) -> str:
    """An amount for a sentence: 万元 from ten thousand up, else 元 ('—' when absent)."""
    if v is None:
        return "—"
    if abs(v) >= 10000:
        return f"{v / 10000:,.2f} 万元"
    return f"{v:,.2f} 元"


def pct_text(v: Decimal | None) -> str:
    """A fraction as a percentage with two decimals ('—' when absent)."""
    return "—" if v is None else f"{v * 100:.2f}%"


def sql_macros(prefix: str = "") -> str:
    """The unit rules as DuckDB macros (`{prefix}unit_factor`, `{prefix}half_unit`,
    `{prefix}decimals_of`, `{prefix}yuan_text`), generated from the tables above."""
    cases = " ".join(f"WHEN '{u}' THEN {f}" for u, f in UNIT_FACTORS.items())
    p = prefix
    return f"""
CREATE OR REPLACE TEMP MACRO {p}unit_factor(unit) AS CASE coalesce(unit, '{YUAN}') {cases} ELSE NULL END;
CREATE OR REPLACE TEMP MACRO {p}half_unit(unit, decimals) AS
  CASE WHEN coalesce(unit, '{YUAN}') = '{YUAN}' AND coalesce(decimals, {DEFAULT_DECIMALS}) >= 2 THEN 0
       ELSE 0.5 * pow(10, -coalesce(decimals, {DEFAULT_DECIMALS})) * {p}unit_factor(unit) END;
CREATE OR REPLACE TEMP MACRO {p}decimals_of(printed) AS
  CASE WHEN printed LIKE '%.%' THEN length(split_part(printed, '.', 2)) ELSE 0 END;
CREATE OR REPLACE TEMP MACRO {p}yuan_text(v) AS
  CASE WHEN abs(v) >= 10000 THEN format('{{:,.2f}} 万元', v / 10000) ELSE format('{{:,.2f}} 元', v) END;
"""
