"""Words that make a run of characters an organisation's name, and the kind of unit a name says.

A disclosure names its unit in its title ("…社会保险事业管理中心2023年部门预算"), in a 单位名称 label
and in table headers. The identity reader (etl/identify.py) finds the name by its last word; the
warehouse describes `core_documents.unit_kind` from UNIT_KINDS. One list each, here, so a new kind of
unit or a new organisational ending is added once.
"""

from __future__ import annotations

# Endings of a unit's name where it stands inside running text or a label ("编制单位：…中心"): only
# words that end nothing else, so "…会计" or "…部分" never pass for a unit.
UNIT_NAME_ENDINGS: tuple[str, ...] = ("中心", "事务所", "管理所", "管理局", "所", "局", "站", "院", "处", "办公室")

# Endings of a unit's name in a title, where the year and stage words bound it on the right: broader
# (中共…委社会工作部, …人力资源和社会保障厅, …委员会 are units too).
TITLE_UNIT_ENDINGS: tuple[str, ...] = (
    "中心",
    "事务所",
    "管理所",
    "局",
    "站",
    "院",
    "处",
    "办公室",
    "部门",
    "部",
    "厅",
    "委员会",
    "委",
    "会",
    "馆",
    "队",
    "所",
    "办",
    "室",
    "政府",
)

# The unit's kind, from words of its name; the first match wins, a name matching none is OTHER_KIND.
UNIT_KINDS: tuple[tuple[str, str], ...] = (
    ("社保", r"社会保险|社保|社会保障事业|社会保障服务"),
    ("人社", r"人力资源和社会保障|人力资源社会保障|人社|劳动和社会保障|劳动保障"),
    ("医保", r"医疗保障|医保|医疗保险"),
    ("养老", r"养老"),
)
OTHER_KIND = "other"


def alternation(words: tuple[str, ...]) -> str:
    """A non-capturing regex alternation of `words`, in their order (longer words first where one
    ends another, as the lists above are written)."""
    return "(?:" + "|".join(words) + ")"


def kinds_text() -> str:
    """'社保 / 人社 / 医保 / 养老 / other': the kinds in the order a name is tried, for descriptions."""
    return " / ".join([k for k, _ in UNIT_KINDS] + [OTHER_KIND])
