"""A stated change (增加/减少 …): its direction words, its sign, and the prior amount it implies.

The parser reads the words, the checks and the warehouse's yoy_changes query sign the change, and
the prior-year figure a document states implicitly is 本年数 − 增减额. Python and SQL forms are both
generated here so they agree.
"""

from __future__ import annotations

from decimal import Decimal

# Words of core_claims.direction that say an amount went down: the change is negative.
DECREASE_WORDS: tuple[str, ...] = ("减少", "下降", "降低")
INCREASE_WORDS: tuple[str, ...] = ("增加", "增长", "上升")
# Words that say there was no change (the stated change is 0).
UNCHANGED_WORDS: tuple[str, ...] = ("持平", "无变化", "没有变化", "保持一致", "无增减")
# The word that opens a stated change's reasons ("…主要原因是…"): amounts after it explain a figure
# and are no figure of the document.
REASON_WORD = "原因"
# Every direction word, in the order the parser's alternation tries them.
DIRECTION_WORDS: tuple[str, ...] = ("增加", "减少", "增长", "下降", "上升", "降低") + UNCHANGED_WORDS


def sign(direction: str | None) -> int:
    """-1 for a decrease word, else +1."""
    return -1 if direction in DECREASE_WORDS else 1


def signed(amount: Decimal | None, direction: str | None) -> Decimal | None:
    """The change with the sign of its direction word."""
    return None if amount is None else sign(direction) * amount


def prior_from_change(current: Decimal, change: Decimal, direction: str | None) -> Decimal:
    """The prior amount a stated change implies: 本年数 − (signed) 增减额."""
    return current - sign(direction) * change


def _words_sql(words: tuple[str, ...]) -> str:
    return ", ".join("'" + w.replace("'", "''") + "'" for w in words)


def sql_sign(direction_col: str) -> str:
    """SQL for sign(direction) over a column."""
    return f"(CASE WHEN {direction_col} IN ({_words_sql(DECREASE_WORDS)}) THEN -1 ELSE 1 END)"


def sql_signed(amount_col: str, direction_col: str) -> str:
    return f"({sql_sign(direction_col)} * {amount_col})"


def sql_prior(current_col: str, amount_col: str, direction_col: str) -> str:
    return f"({current_col} - {sql_signed(amount_col, direction_col)})"
