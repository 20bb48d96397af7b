"""The package's boundaries, read from the source (AST, no import): ionflow never imports
snakemake, and the analyses and trajectory readers (ionflow.analysis, ionflow.trajectory) import no
engine (nor ionflow's potentials, md and reference stages), so they run on trajectories made anywhere."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "ionflow"
ANALYSES = ("analysis", "trajectory")
ENGINES = (
    "deepmd",
    "lammps",
    "calorine",
    "tblite",
    "neppo",
    "torch",
    "tensorflow",
    "chgnet",
    "mace",
    "ionflow.potentials",
    "ionflow.md",
    "ionflow.reference",
)


def imported_modules(path: Path) -> set[str]:
    """Every module name imported anywhere in ``path`` (top level and inside functions)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _is(module: str, banned: str) -> bool:
    return module == banned or module.startswith(banned + ".")


def test_the_reader_sees_real_imports():
    names = imported_modules(PACKAGE / "potentials/deepmd.py")
    assert "deepmd.infer" in names and any(_is(n, "deepmd") for n in names)  # the function-local import


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_ionflow_never_imports_snakemake(path):
    assert not any(_is(name, "snakemake") for name in imported_modules(path))


@pytest.mark.parametrize(
    "path",
    sorted(p for folder in ANALYSES for p in (PACKAGE / folder).rglob("*.py")),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_analyses_import_no_engine(path):
    engines = [name for name in imported_modules(path) if any(_is(name, banned) for banned in ENGINES)]
    assert not engines, f"{path.relative_to(PACKAGE)} imports {engines}"
