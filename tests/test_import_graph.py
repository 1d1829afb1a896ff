"""The package graph a newcomer reads: no import cycle, no private python-telegram-bot module.

Read from the source (``ast``): every import a module makes when it runs, those inside
functions included (a lazy import only hides a cycle). Imports under ``if TYPE_CHECKING:``
are left out: they name a type for the checker and load nothing, as when the engine's context
names the step objects that in turn receive the context.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def imports() -> dict[str, set[str]]:
    """Each module of ``bot`` and the other ``bot`` modules it imports (at any level)."""
    files = {module_name(p): p for p in (ROOT / "bot").rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if _type_checking_only(node):
                for inner in ast.walk(node):
                    inner.type_checking = True  # type: ignore[attr-defined]
        for node in ast.walk(tree):
            if getattr(node, "type_checking", False):
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                subs = [f"{node.module}.{alias.name}" for alias in node.names]
                targets = [s for s in subs if s in files]
                if len(targets) < len(subs):
                    targets.append(node.module)
            graph[name] |= {t for t in targets if t in files and t != name}
    return graph


def _type_checking_only(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``): imports for the type checker."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def private_ptb_imports() -> list[str]:
    found = []
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            found += [f"{module_name(path)}: {n}" for n in names if n.startswith("telegram._")]
    return found


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or ``None``."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            # A package imports its own modules by design; only the reverse can close a cycle.
            if node.startswith(target + "."):
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_module_of_the_bot_imports_itself_round_a_cycle() -> None:
    assert cycle(imports()) is None


def test_the_check_finds_a_cycle_when_there_is_one() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_private_module_of_python_telegram_bot_is_imported() -> None:
    assert private_ptb_imports() == []
