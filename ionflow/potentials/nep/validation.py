"""Validation of Study B's final NEP: E–V curves, polymorph energies, descriptor map classes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from ase import Atoms

ENVIRONMENTS = ("bulk ZrO2", "bulk LZC", "interface")


def ev_curve(atoms: Atoms, calculator, volume_scales: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """(volume per atom in Å³, energy per atom in eV) on homogeneously scaled copies of ``atoms``.

    The cell and fractional coordinates are scaled so the volume is ``scale × V0``; atoms are
    not relaxed at each volume (a frozen-shape E–V curve, the same for reference and NEP).
    """
    volumes, energies = [], []
    for scale in volume_scales:
        scaled = atoms.copy()
        scaled.set_cell(atoms.cell.array * scale ** (1 / 3), scale_atoms=True)
        scaled.calc = calculator
        volumes.append(scaled.get_volume() / len(scaled))
        energies.append(scaled.get_potential_energy() / len(scaled))
    return np.array(volumes), np.array(energies)


def relative_energies(energies_eV_atom: dict[str, float], reference_phase: str) -> dict[str, float]:
    """Energies per atom relative to ``reference_phase``, in meV/atom."""
    zero = energies_eV_atom[reference_phase]
    return {name: 1000 * (energy - zero) for name, energy in energies_eV_atom.items()}


def environment(system: str) -> str:
    """Fig. 1b class of a training frame from its system name (zro2_*, lzc_*, interface*)."""
    if system.startswith("zro2_"):
        return "bulk ZrO2"
    if system.startswith("lzc_"):
        return "bulk LZC"
    if system.startswith("interface"):
        return "interface"
    raise ValueError(f"system {system!r} is none of zro2_*, lzc_*, interface*")
