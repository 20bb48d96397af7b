"""Foundation models as stand-in references: NEP89 (calorine), CHGNet and MACE (user's file)."""

from __future__ import annotations

from pathlib import Path

from ase.calculators.calculator import Calculator, all_changes


def _require_file(model: str, backend: str, fix: str) -> None:
    if not Path(model).is_file():
        raise FileNotFoundError(f"{model}: {backend} model file not found (key 'reference.model'); {fix}")


def nep89_calculator(model: str):
    """NEP89 foundation model through calorine's CPUNEP (ASE calculator; eV, Å)."""
    _require_file(
        model,
        "NEP89",
        "run `make install` (it extracts nep89.txt from the "
        "neptrainkit 3.1.5 sdist) or set reference.model in the config",
    )
    return NEPCalculator(model)


def load_cpunep(model: str | Path):
    """calorine's CPUNEP for the NEP file ``model``; a truncated or corrupt file is an error naming it."""
    from calorine.calculators import CPUNEP

    try:
        return CPUNEP(str(model))
    except Exception as err:  # calorine raises ValueError/IndexError/RuntimeError on a damaged file
        raise ValueError(
            f"{model}: not a complete NEP model ({type(err).__name__}: {err}); it may be half-written: "
            "retrain it or copy it again"
        ) from err


class NEPCalculator(Calculator):
    """calorine's CPUNEP for many different ``Atoms`` objects (energy eV, forces eV/Å, stress eV/Å³).

    Attaching CPUNEP to a new ``Atoms`` rebuilds its C++ model (measured: ~2 s for NEP89 against
    6 ms for the evaluation of a 8-atom cell). This calculator keeps one working ``Atoms`` per
    atom count attached to one CPUNEP and copies each structure into it, so labelling,
    relaxing and E–V scans pay the set-up once per size.
    """

    implemented_properties = ["energy", "forces", "stress"]

    def __init__(self, model: str | Path):
        super().__init__()
        self.model = str(model)
        self._cpunep = load_cpunep(self.model)
        self._working: dict[int, object] = {}

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        working = self._working.get(len(self.atoms))
        if working is None:
            working = self.atoms.copy()
            working.calc = self._cpunep
            self._working[len(working)] = working
        else:
            working.numbers = self.atoms.numbers
            working.set_cell(self.atoms.cell, scale_atoms=False)
            working.positions = self.atoms.positions
        self.results = {
            "energy": working.get_potential_energy(),
            "forces": working.get_forces(),
            "stress": working.get_stress(voigt=True),
        }


def chgnet_calculator():
    """CHGNet 0.4 with the weights shipped in its wheel (CPU)."""
    from chgnet.model.dynamics import CHGNetCalculator

    return CHGNetCalculator(use_device="cpu")


def mace_calculator(model: str):
    """MACE from a model file the user provides (weights cannot be downloaded on every machine)."""
    _require_file(
        model,
        "MACE",
        "download a MACE model (e.g. MACE-MPA-0) where the network allows and set reference.model to its path",
    )
    from mace.calculators import MACECalculator

    return MACECalculator(model_paths=model, device="cpu", default_dtype="float64")
