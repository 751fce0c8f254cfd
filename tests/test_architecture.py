"""The house rules, checked: layers (import-linter), no import cycles, short modules, argument
parsing only in the CLI, and the pipeline's declared stage order."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from conftest import REPO

from sitrep.pipeline.registry import default_stages
from sitrep.pipeline.stages import ArticleStage, PipelineError, check_order

SRC = REPO / "src" / "sitrep"
MAX_LINES = 500


def modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_import_linter_contracts_are_kept() -> None:
    exe = shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency"
    proc = subprocess.run(
        [exe, "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_import_cycles() -> None:
    graph = grimp.build_graph("sitrep")
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    # Tarjan's strongly connected components: any component of two or more modules is a cycle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            # a package's __init__ importing its own submodules is not a cycle between concerns
            if len(comp) > 1 and not _package_and_its_children(comp):
                cycles.append(sorted(comp))

    for m in sorted(edges):
        if m not in index:
            visit(m)
    assert cycles == []


def _package_and_its_children(comp: list[str]) -> bool:
    packages = [m for m in comp if all(o == m or o.startswith(m + ".") for o in comp)]
    return bool(packages)


def test_modules_are_short() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_argument_parsing_lives_only_in_the_cli() -> None:
    assert [p for p in modules() if p.name == "commands.py"] == []
    offenders = []
    for path in modules():
        if path.is_relative_to(SRC / "cli"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(n == "argparse" or n.startswith("sitrep.cli") for n in names):
                offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


def test_the_built_in_stages_are_in_an_order_that_works() -> None:
    stages = default_stages(nlp=None, geoparser=None)  # type: ignore[arg-type]
    check_order(stages)
    names = [s.name for s in stages]
    assert names.index("parse") < names.index("triggers") < names.index("mentions")
    # moving a stage before what it needs is refused at start-up, naming the stage
    broken = [stages[0], stages[3], *stages[1:3], *stages[4:]]
    with pytest.raises(PipelineError, match="'triggers' requires"):
        check_order(broken)


def test_a_new_stage_drops_in() -> None:
    class CountMentions(ArticleStage):
        name = "count"
        requires = ("mentions",)
        assigns = ("events",)

    stages = default_stages(nlp=None, geoparser=None)  # type: ignore[arg-type]
    check_order([*stages[:-1], CountMentions(), stages[-1]])

    class Misspelt(ArticleStage):
        name = "typo"
        requires = ("mention",)
        assigns = ()

    with pytest.raises(PipelineError, match="unknown fields"):
        check_order([*stages, Misspelt()])


def test_no_script_shadows_a_standard_module() -> None:
    """bench/, scripts/ and tests/ go on sys.path (and on spawned workers' path): a file named like
    a standard module ("typing.py") would replace it there."""
    clashes = [
        str(p.relative_to(REPO))
        for folder in ("bench", "scripts", "tests")
        for p in (REPO / folder).glob("*.py")
        if p.stem in sys.stdlib_module_names
    ]
    assert clashes == []
