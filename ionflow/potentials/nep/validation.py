"""Validation of Study B's final NEP: E–V curves, polymorph energies, descriptor map classes."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
from ase import Atoms

log = logging.getLogger(__name__)

ENVIRONMENTS = ("bulk ZrO2", "bulk LZC", "interface")
POLYMORPH_ZEROS = {"zro2": "zro2_monoclinic", "lzc": "lzc_ideal"}  # system prefix → phase the energies start from


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


def ev_curves(structures: dict[str, Atoms], calculators: dict, volume_scales: Sequence[float]) -> dict[str, dict]:
    """Frozen-shape E–V curve (:func:`ev_curve`) of each structure (name → Atoms) with each
    calculator (kind → ASE calculator, e.g. reference and NEP): name → {"volume": Å³/atom,
    kind: eV/atom}. ``volume_scales`` must hold 1.0 (the relaxed volume, logged)."""
    curves = {}
    for name, atoms in structures.items():
        curve = {}
        for kind, calculator in calculators.items():
            curve["volume"], curve[kind] = ev_curve(atoms, calculator, volume_scales)
        curves[name] = curve
        at_relaxed = ", ".join(f"{kind} {curve[kind][list(volume_scales).index(1.0)]:.4f}" for kind in calculators)
        log.info("%s: %s eV/atom at the relaxed volume", name, at_relaxed)
    return curves


def polymorph_rows(curves: dict[str, dict], kinds=("reference", "nep"), zeros=POLYMORPH_ZEROS) -> list[dict]:
    """Polymorph energies (meV/atom) of each material, from the minima of the E–V ``curves``:
    one row per phase, relative to the material's phase in ``zeros`` (prefix → phase; the first
    phase of that prefix when it was not computed), for each calculator of ``kinds``."""
    rows = []
    for material, zero in zeros.items():
        minima = {
            kind: {n: float(c[kind].min()) for n, c in curves.items() if n.startswith(material)} for kind in kinds
        }
        if not minima[kinds[0]]:
            continue
        if zero not in minima[kinds[0]]:
            zero = next(iter(minima[kinds[0]]))
        relative = {kind: relative_energies(minima[kind], zero) for kind in kinds}
        for name in relative[kinds[0]]:
            values = {f"{kind}_meV_atom": f"{relative[kind][name]:.1f}" for kind in kinds}
            note = ordering_note(relative[kinds[0]][name], relative[kinds[-1]][name], zero, kinds[-1])
            rows.append({"phase": name, "relative_to": zero, **values, "note": note})
    return rows


def ordering_note(reference_meV_atom: float, model_meV_atom: float, zero: str, model: str = "nep") -> str:
    """Empty, or a warning when ``model`` puts a phase on the other side of ``zero`` than the
    reference does (both energies in meV/atom relative to ``zero``; within 1 meV/atom of zero
    counts as either side)."""
    if reference_meV_atom * model_meV_atom >= 0 or min(abs(reference_meV_atom), abs(model_meV_atom)) < 1.0:
        return ""
    side = {True: "above", False: "below"}
    return (
        f"wrong ordering: the {model} puts it {abs(model_meV_atom):.1f} meV/atom {side[model_meV_atom > 0]} "
        f"{zero}, the reference {abs(reference_meV_atom):.1f} meV/atom {side[reference_meV_atom > 0]}"
    )


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
