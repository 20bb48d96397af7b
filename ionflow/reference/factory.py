"""Choose a reference calculator from the ``reference`` block of a config.

Backends are imported only when a calculator is made or checked, so the workflow's DAG (which
calls :func:`check_available`) does not pay for ASE, calorine or torch.
"""

from __future__ import annotations

import importlib
import importlib.util

BACKENDS = {
    "nep89": "ionflow.reference.foundation:nep89_calculator",
    "chgnet": "ionflow.reference.foundation:chgnet_calculator",
    "mace": "ionflow.reference.foundation:mace_calculator",
    "xtb": "ionflow.reference.xtb:xtb_calculator",
    "cp2k": "ionflow.reference.cp2k:CP2KReference",
    "vasp": "ionflow.reference.vasp:VaspReference",
}
PYTHON_MODULES = {
    "nep89": ("calorine", "pip install calorine==4.1"),
    "chgnet": ("chgnet", "pip install chgnet==0.4.2"),
    "mace": ("mace", "pip install mace-torch (after torch, see Makefile)"),
    "xtb": ("tblite", "pip install tblite==0.8.0 (pinned in requirements.lock)"),
}


def _load(path: str):
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def check_available(reference: dict, source: str, key: str = "reference") -> None:
    """Fail at workflow start, not hours later, if the configured engine cannot run here.

    Backends whose model is a file declare it as a rule input instead (Snakemake reports a
    missing input when it builds the DAG).
    """
    backend = reference["backend"]
    if backend not in BACKENDS:
        raise ValueError(
            f"{source}: key '{key}.backend': unknown backend {backend!r}; use one of {', '.join(BACKENDS)}"
        )
    problems = []
    if backend in PYTHON_MODULES:
        module, fix = PYTHON_MODULES[backend]
        if importlib.util.find_spec(module) is None:
            problems.append(f"Python package {module} not installed; {fix}")
    elif backend == "cp2k":
        check_cp2k = _load("ionflow.reference.cp2k:check_cp2k")
        problems = check_cp2k(reference.get("executable", "cp2k.psmp"), reference.get("ranks", 1))
    elif backend == "vasp":
        check_vasp = _load("ionflow.reference.vasp:check_vasp")
        problems = check_vasp(reference.get("command"), reference.get("pp_path"))
    if problems:
        raise RuntimeError(f"{source}: key '{key}.backend': {backend} cannot run here: " + "; ".join(problems))


def resolve_kpoints(kpoints, phase: str | None):
    """A k-mesh given per phase (``{phase: [n1, n2, n3]}``) resolved for ``phase``."""
    if not isinstance(kpoints, dict):
        return kpoints
    if phase not in kpoints:
        raise KeyError(f"key 'reference.kpoints': no k-mesh for phase {phase!r}")
    return kpoints[phase]


def make_calculator(reference: dict, phase: str | None = None):
    """ASE calculator for ``reference = {"backend": name, ...}`` (see config/schema.yaml).

    ``phase`` picks the k-mesh when ``reference.kpoints`` is given per phase.
    """
    backend = reference["backend"]
    if backend not in BACKENDS:
        raise ValueError(f"unknown reference backend {backend!r}; use one of {', '.join(BACKENDS)}")
    options = {k: v for k, v in reference.items() if k != "backend"}
    if "kpoints" in options:
        options["kpoints"] = resolve_kpoints(options["kpoints"], phase)
    return _load(BACKENDS[backend])(**options)
