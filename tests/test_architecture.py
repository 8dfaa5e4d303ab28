"""The house stays as built: imports go down the layers, never up, and no project modules import
each other in a circle. Read from the source with `ast` (no third-party tool); imports inside
functions count as much as those at the top (a lazy import is still a dependency). Imports under
`if TYPE_CHECKING:` do not run and are left out.

Layers, bottom to top:
- rules — business rules as data and small functions: imports nothing from the project;
- warehouse — rules only; never etl, exports, pages or streamlit;
- exports — rules and warehouse;
- pages and app.py — rules, warehouse, exports; of the ETL only etl.service (the upload page and
  app.py's first-start build), never its internals;
- benchmarks, scripts and tests sit on top: nothing in the product imports them.
Inside etl: readers (etl.readers) never import recognisers or anything above them; recognisers
never import the engine; checks never import the engine; readers, recognisers and checks take
their rules from `rules`, never from the warehouse; nothing in etl imports pages or exports.

Also here: every page file is in pages/_registry.py, every registered file exists, and every
registered page has its place in docs/dashboard.md.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from pages import _registry
from tests.conftest import ROOT

SKIP_DIRS = {".venv", "tests", ".git", "__pycache__", "node_modules", "data"}
READERS = ("etl.readers",)
RECOGNISERS = ("etl.layout", "etl.tables", "etl.narrative", "etl.identify", "etl.pension", "etl.facts", "etl.families")
CHECKS = ("etl.checks",)
ENGINE = ("etl.pipeline", "etl.merge", "etl.build", "etl.engine", "etl.service", "etl.__main__")
PRODUCT = ("rules", "warehouse", "exports", "pages", "app", "etl")
TOP = ("benchmarks", "scripts", "tests")


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted
    path: str  # its file, relative to the project root
    line: int
    target: str  # the imported module as written and resolved ("a.b" for `from a.b import c`)
    module: str  # the project module it loads ("a.b.c" when c is a submodule), "" if not ours


def under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def project_files(root: Path = ROOT) -> dict[str, Path]:
    """{dotted module name: file} for every project .py outside tests/ and the virtualenv."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if set(rel.parts[:-1]) & SKIP_DIRS or rel.parts[0].startswith("."):
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines |= set(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = _type_checking_lines(tree)
    is_package = path.name == "__init__.py"
    rel = str(path.relative_to(ROOT))

    def ours(dotted: str) -> str:
        """The deepest project module `dotted` names (itself or a parent), or ""."""
        parts = dotted.split(".")
        while parts:
            if ".".join(parts) in modules:
                return ".".join(parts)
            parts.pop()
        return ""

    out = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            for a in node.names:
                out.append(Import(name, rel, node.lineno, a.name, ours(a.name)))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for a in node.names:
                sub = f"{target}.{a.name}"
                module = sub if sub in modules else ours(target)
                out.append(Import(name, rel, node.lineno, target, module))
    return out


def all_imports() -> list[Import]:
    modules = project_files()
    return [i for name, path in modules.items() for i in imports_of(name, path, modules)]


def _page_may_import(i: Import) -> bool:
    if under(i.module, ("rules", "warehouse", "exports", "pages")) or not i.module:
        return True
    return i.module == "etl.service" and i.source in ("app", "pages.upload")


# (importers, forbidden import, why): one line per rule of the module docstring.
RULES = (
    (PRODUCT, lambda i: under(i.module, TOP), "the product never imports benchmarks, scripts or tests"),
    (("rules",), lambda i: i.module and not under(i.module, ("rules",)), "rules imports nothing from the project"),
    (
        ("warehouse",),
        lambda i: i.module and not under(i.module, ("rules", "warehouse")),
        "warehouse imports rules only",
    ),
    (("warehouse",), lambda i: under(i.target, ("streamlit",)), "warehouse never imports streamlit"),
    (
        ("exports",),
        lambda i: i.module and not under(i.module, ("rules", "warehouse", "exports")),
        "exports imports rules and warehouse only",
    ),
    (
        ("pages", "app"),
        lambda i: not _page_may_import(i),
        "pages import rules, warehouse and exports (the ETL only as etl.service, in app.py and pages/upload.py)",
    ),
    (("etl",), lambda i: under(i.module, ("pages", "exports", "app")), "the ETL never imports pages or exports"),
    (
        READERS,
        lambda i: under(i.module, RECOGNISERS + CHECKS + ENGINE),
        "readers never import recognisers, checks or the engine",
    ),
    (RECOGNISERS, lambda i: under(i.module, ENGINE), "recognisers never import the engine"),
    (CHECKS, lambda i: under(i.module, ENGINE), "checks never import the engine"),
    (
        READERS + RECOGNISERS + CHECKS,
        lambda i: under(i.module, ("warehouse",)),
        "readers, recognisers and checks take their rules from `rules`, not from the warehouse",
    ),
)


def layer_violations(imports: list[Import]) -> list[str]:
    return sorted(
        {
            f"{i.path}:{i.line} ({i.source}) imports {i.module or i.target}: {why}"
            for i in imports
            for sources, forbidden, why in RULES
            if under(i.source, sources) and forbidden(i)
        }
    )


def module_graph(imports: list[Import]) -> dict[str, set[str]]:
    """Edges importer -> imported project module. Importing a.b.c from outside package a.b also runs
    a/b/__init__.py, so it is an edge to a.b too; a package's own submodules are not counted as
    importing the package they sit in merely by importing a sibling."""
    graph: dict[str, set[str]] = {name: set() for name in project_files()}
    for i in imports:
        if not i.module or i.module == i.source:
            continue
        graph[i.source].add(i.module)
        parts = i.module.split(".")[:-1]
        while parts:
            parent = ".".join(parts)
            if parent in graph and not under(i.source, (parent,)):
                graph[i.source].add(parent)
            parts.pop()
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        m = stack.pop()
                        on_stack.discard(m)
                        comp.append(m)
                        if m == node:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return sorted(out)


def describe(comp: list[str], imports: list[Import]) -> str:
    members = set(comp)
    edges = sorted(
        {f"{i.path}:{i.line} {i.source} -> {i.module}" for i in imports if i.source in members and i.module in members}
    )
    return f"cycle {' <-> '.join(comp)}: " + "; ".join(edges)


def test_imports_go_down_the_layers():
    assert layer_violations(all_imports()) == []


def test_no_import_cycles():
    imports = all_imports()
    assert [describe(c, imports) for c in cycles(module_graph(imports))] == []


def test_the_checker_sees_violations_and_cycles():
    """The checks above can fail: a made-up upward import and a made-up cycle are found."""
    up = Import("rules.units", "rules/units.py", 1, "warehouse.schema", "warehouse.schema")
    reader = Import("etl.readers.excel", "etl/readers/excel.py", 2, "etl.layout", "etl.layout")
    page = Import("pages.overview", "pages/overview.py", 3, "etl.build", "etl.build")
    upload = Import("pages.upload", "pages/upload.py", 4, "etl", "etl.service")
    got = layer_violations([up, reader, page, upload])
    assert [g.split(":")[0] for g in got] == ["etl/readers/excel.py", "pages/overview.py", "rules/units.py"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    # Relative and function-level imports are seen; a submodule import also loads its package.
    names = project_files()
    found = {(i.source, i.module) for i in imports_of("etl.readers", names["etl.readers"], names)}
    assert ("etl.readers", "etl.readers.text") in found  # imported inside read_document()
    graph = module_graph([Import("pages.overview", "p", 1, "etl.readers.text", "etl.readers.text")])
    assert graph["pages.overview"] == {"etl.readers.text", "etl.readers", "etl"}


# --- no Python called back from polars' worker pool --------------------------------------------

# Polars runs these callbacks on its worker pool, which then needs the GIL. Sessions run in threads
# of one server: when another session's conversion held the GIL while waiting for that pool, the
# whole server froze (8 sessions on a cold app: every script thread and the event loop idle, 48
# requests unread; pola-rs/polars#10970). pages._format.mapped maps in the calling thread instead.
CALLBACKS = {"map_elements", "map_batches", "map_groups", "map_rows"}


def callbacks_in(source: str) -> list[int]:
    """Lines that call a polars Python callback (by method name: `.map_elements(...)` etc.)."""
    return sorted(
        n.lineno
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in CALLBACKS
    )


def test_no_polars_python_callbacks_in_the_product():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for name, path in project_files().items()
        if name.split(".")[0] in PRODUCT
        for line in callbacks_in(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_callback_finder_sees_them():
    src = "import polars as pl\ndf.with_columns(pl.col('a').map_elements(str))\ns.map_batches(f)\nmapped(df, 'a', str)\n"
    assert callbacks_in(src) == [2, 3]


# --- the page registry ---------------------------------------------------------------------------


def test_every_page_file_is_registered_and_every_registered_file_exists():
    on_disk = sorted(
        p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_")
    )
    registered = [p.file for p in _registry.PAGES]
    assert sorted(registered) == on_disk
    assert len(set(registered)) == len(registered)
    assert len({p.url_path for p in _registry.PAGES}) == len(_registry.PAGES)
    assert len({p.title for p in _registry.PAGES}) == len(_registry.PAGES)
    assert [p for p in _registry.PAGES if p.default] == [_registry.PAGES[0]]
    assert {p.group for p in _registry.PAGES} <= set(_registry.GROUPS)
    # Declared in navigation order: sections in GROUPS order, so pages() and grouped() agree.
    assert [p for g in _registry.grouped().values() for p in g] == list(_registry.pages())
    assert "upload" not in _registry.names() and "upload" in _registry.names(with_uploads=True)


def test_the_registry_is_pure_data():
    tree = ast.parse((ROOT / "pages" / "_registry.py").read_text(encoding="utf-8"))
    top = {a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names}
    top |= {n.module for n in tree.body if isinstance(n, ast.ImportFrom)}
    assert top <= {"__future__", "dataclasses", "pathlib"}, top


def test_app_declares_no_page_of_its_own():
    """app.py builds its navigation from the registry: no page file is named in it."""
    text = (ROOT / "app.py").read_text(encoding="utf-8")
    assert not re.search(r"[\"']pages/[a-z]\w*\.py", text)
    assert "from pages._registry import" in text


def dashboard_doc_pages() -> set[str]:
    """Page titles docs/dashboard.md describes: the names its '## Pages' list opens its items with
    ('- 同比变化, 支出结构 — …', '…; 会议模式 — …')."""
    text = (ROOT / "docs" / "dashboard.md").read_text(encoding="utf-8")
    section = text.split("\n## Pages", 1)[1].split("\n## ", 1)[0]
    names = set()
    for item in re.split(r"\n- ", "\n" + section):
        for clause in item.split("；") + item.split("; "):
            head = clause.split(" — ", 1)
            if len(head) == 2:
                parts = [n.strip() for n in re.split(r"[,，、]", head[0].strip().lstrip("- "))]
                if all(re.fullmatch(r"[\u4e00-\u9fff“”]+", n) for n in parts):
                    names |= set(parts)
    return names


def test_every_registered_page_is_described_in_docs():
    documented = dashboard_doc_pages()
    missing = [p.title for p in _registry.PAGES if p.title not in documented]
    assert missing == [], f"docs/dashboard.md '## Pages' has no item for {missing}"
