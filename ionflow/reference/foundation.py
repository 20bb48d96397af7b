"""Foundation models as stand-in references: NEP89 (calorine), CHGNet and MACE (user's file)."""

from __future__ import annotations

from pathlib import Path


def _require_file(model: str, backend: str, fix: str) -> None:
    if not Path(model).is_file():
        raise FileNotFoundError(f"{model}: {backend} model file not found (key 'reference.model'); {fix}")


def nep89_calculator(model: str):
    """NEP89 foundation model through calorine's CPUNEP (ASE calculator; eV, Å)."""
    _require_file(model, "NEP89", "run `make install` (it extracts nep89.txt from the "
                  "neptrainkit 3.1.5 sdist) or set reference.model in the config")
    from calorine.calculators import CPUNEP

    return CPUNEP(model)


def chgnet_calculator():
    """CHGNet 0.4 with the weights shipped in its wheel (CPU)."""
    from chgnet.model.dynamics import CHGNetCalculator

    return CHGNetCalculator(use_device="cpu")


def mace_calculator(model: str):
    """MACE from a model file the user provides (weights cannot be downloaded on every machine)."""
    _require_file(model, "MACE", "download a MACE model (e.g. MACE-MPA-0) where the network allows "
                  "and set reference.model to its path")
    from mace.calculators import MACECalculator

    return MACECalculator(model_paths=model, device="cpu", default_dtype="float64")
