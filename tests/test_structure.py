"""The package's structure, read from its code with ``ast``: the stages import
only downwards (so no import cycle, function-level imports included), and only
``project.py`` builds the paths under a project's folders."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "klpublish"

STAGES = (
    ("errors", "files", "fileio", "settings", "pandoc", "locales", "project", "letters"),
    ("letter",),
    ("word",),
    ("segments",),
    ("translation",),
    ("catalogs",),
    ("render",),
    ("build",),
    ("gate",),
    ("__main__",),
)
"""Bottom first: a module may import from its own stage and those below it.
Within the lowest stage, order does not matter (no cycle is checked apart)."""


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules ``path`` imports, anywhere in it (inside functions too)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                out.add(dotted if dotted in known else node.module)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return {name for name in out if name in known and name != "klpublish"}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, known) - {name} for name, path in known.items()}


def stage(module: str) -> int:
    top = module.split(".")[1] if "." in module else module
    for rank, names in enumerate(STAGES):
        if top in names:
            return rank
    raise AssertionError(f"{module}: not in any stage of STAGES (add it where it belongs)")


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_cycle() -> None:
    found = cycle(graph())
    assert found is None, " -> ".join(found or [])


def test_the_cycle_finder_finds_one() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycle(edges) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_stages_import_only_downwards() -> None:
    upward = [
        f"{module} imports {target}"
        for module, targets in graph().items()
        if module != "klpublish"
        for target in sorted(targets)
        if stage(target) > stage(module)
    ]
    assert not upward, "\n".join(upward)


# -- paths ----------------------------------------------------------------------

PROJECT_FOLDERS = frozenset({"locale", "source", "build", "LC_MESSAGES", "templates"})
"""Names that mean a path in a project's (or the package's own) folders."""
FOLDER_NAMES = frozenset(
    {"locales", "out", "sources", "reports", "PACKAGE_LOCALE", "LOCALES", "SOURCES", "OUT"}
)
"""Variables and attributes that hold one of those folders."""


def _root_name(node: ast.expr) -> str | None:
    """The name a path expression starts from: ``layout.out / lang`` -> ``out``."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        node = node.left
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _strings(node: ast.AST) -> Iterator[str]:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            yield inner.value


def _chain(node: ast.expr) -> list[ast.expr]:
    """``a / "b" / c`` as ``[a, "b", c]``."""
    parts: list[ast.expr] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        parts.insert(0, node.right)
        node = node.left
    return [node, *parts]


def _folder(node: ast.expr) -> bool:
    """A literal that names a project folder (``"locale"``, ``"build/x"``)."""
    return any(s.strip("/").split("/")[0] in PROJECT_FOLDERS for s in _strings(node))


def path_joins(source: str) -> list[int]:
    """The lines of ``source`` that build a path in a project's folders: a ``/``
    or ``glob`` from one of them, or a path that starts with a folder's name."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            root, first, *rest = _chain(node)
            if (
                _root_name(root) in FOLDER_NAMES
                or _folder(first)
                or any("LC_MESSAGES" in s for part in rest for s in _strings(part))
            ):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            globbed = isinstance(func, ast.Attribute) and func.attr in ("glob", "rglob", "iterdir")
            named = isinstance(func, ast.Name) and func.id in ("Path", "PurePath")
            if (globbed and _root_name(func.value) in FOLDER_NAMES) or (  # type: ignore[union-attr]
                named and node.args and _folder(node.args[0])
            ):
                lines.append(node.lineno)
    return sorted(set(lines))


@pytest.mark.parametrize(
    ("code", "joins"),
    [
        ("p = layout.locales / lang / 'LC_MESSAGES'", True),
        ("p = out / 'reports'", True),
        ("p = Path('locale')", True),
        ("p = folder / 'LC_MESSAGES' / name", True),
        ("p = self.locales.glob('*.pot')", True),
        ("p = tmp / 'page.html'", False),
        ("p = resources.files('klpublish') / 'templates' / name", True),
        ("p = project / 'node_modules' / 'vnu-jar' / 'build' / 'dist'", False),
        ("p = layout.output('de', 'html')", False),
    ],
)
def test_the_path_finder_knows_a_join(code: str, joins: bool) -> None:
    assert bool(path_joins(code)) is joins


def test_only_project_builds_paths_in_the_project() -> None:
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for name, path in modules().items()
        if name != "klpublish.project"
        for line in path_joins(path.read_text(encoding="utf-8"))
    ]
    assert not found, "paths built outside project.py:\n" + "\n".join(found)


# -- sizes ----------------------------------------------------------------------

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def test_each_module_is_small_and_says_first_what_it_holds() -> None:
    found = []
    for name, path in modules().items():
        source = path.read_text(encoding="utf-8")
        lines = len(source.splitlines())
        if lines > MAX_MODULE_LINES:
            found.append(f"{name}: {lines} lines (at most {MAX_MODULE_LINES})")
        doc = ast.get_docstring(ast.parse(source))
        if not doc or not doc.strip():
            found.append(f"{name}: no docstring saying what it holds")
    assert not found, "\n".join(found)


def test_each_function_is_short() -> None:
    found = [
        f"{name}.{node.name}: {node.end_lineno - node.lineno + 1} lines"
        for name, path in modules().items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not found, "\n".join(found)
