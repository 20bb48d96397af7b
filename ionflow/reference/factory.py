"""Choose a reference calculator from the ``reference`` block of a config."""

from __future__ import annotations

from pathlib import Path


def nep89_calculator(model: str):
    """NEP89 foundation model through calorine's CPUNEP (ASE calculator; eV, Å)."""
    if not Path(model).is_file():
        raise FileNotFoundError(
            f"{model}: NEP89 model file not found; run `make install` (it extracts nep89.txt "
            "from the neptrainkit 3.1.5 sdist) or set reference.model in the config"
        )
    from calorine.calculators import CPUNEP

    return CPUNEP(model)


BACKENDS = {"nep89": nep89_calculator}


def make_calculator(reference: dict):
    """ASE calculator for ``reference = {"backend": name, ...}`` (see config/schema.yaml)."""
    backend = reference["backend"]
    if backend not in BACKENDS:
        raise ValueError(f"unknown reference backend {backend!r}; use one of {', '.join(BACKENDS)}")
    options = {k: v for k, v in reference.items() if k != "backend"}
    return BACKENDS[backend](**options)
