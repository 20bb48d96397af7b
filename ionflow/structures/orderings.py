"""Phases from partially occupied site models: enumerate orderings, classify, relax, rank.

The CIFs are literature site sets with partial occupancies (reconstructed, not refined data).
An ordering is one way to fill the partially occupied sites at fixed composition. Orderings are
enumerated with pymatgen (electrostatic pre-ranking), made unique by symmetry, classified by
how Zr fills the xy layers, relaxed with the reference calculator and ranked by energy.
"""

from __future__ import annotations

import numpy as np
from ase import Atoms
from ase.filters import FrechetCellFilter
from ase.optimize import FIRE
from pymatgen.analysis.structure_matcher import StructureMatcher
from pymatgen.core import Structure
from pymatgen.io.ase import AseAtomsAdaptor
from pymatgen.transformations.standard_transformations import OrderDisorderedStructureTransformation

OXIDATION_STATES = {"Li": 1, "Zr": 4, "Cl": -1, "O": -2}
ORDERING_RULES = ("lowest", "zr_several_layers", "zr_one_layer")


def enumerate_orderings(cif_path: str, max_orderings: int, rule: str = "lowest") -> list[Structure]:
    """Symmetry-unique orderings of a partially occupied CIF that satisfy ``rule``.

    Orderings come best electrostatic (Ewald) energy first; at most ``max_orderings`` are
    returned. A fully ordered CIF returns itself.
    """
    structure = Structure.from_file(cif_path)
    if structure.is_ordered:
        return [structure]
    structure.add_oxidation_state_by_element(OXIDATION_STATES)
    # Equivalent orderings appear several times in the Ewald ranking; ask for enough to
    # still hold max_orderings unique ones after de-duplication.
    ranked = OrderDisorderedStructureTransformation().apply_transformation(
        structure, return_ranked_list=50 * max_orderings
    )
    matcher = StructureMatcher()
    unique: list[Structure] = []
    for entry in ranked:
        candidate = entry["structure"]
        candidate.remove_oxidation_states()
        if not matches_rule(to_atoms(candidate), rule):
            continue
        if not any(matcher.fit(candidate, kept) for kept in unique):
            unique.append(candidate)
        if len(unique) == max_orderings:
            break
    return unique


def xy_layers(atoms: Atoms, symbol: str, tolerance: float = 0.08) -> int:
    """Number of distinct xy layers (fractional z, periodic) that hold ``symbol``."""
    z = np.sort(atoms.get_scaled_positions()[atoms.symbols == symbol][:, 2] % 1.0)
    if len(z) == 0:
        return 0
    gaps = np.diff(np.concatenate([z, [z[0] + 1.0]]))
    return max(1, int(np.sum(gaps > tolerance)))


def ordering_class(atoms: Atoms) -> str:
    """'zr_one_layer' if all Zr share one xy layer and Li fill more than one, else
    'zr_several_layers' when Zr spread over layers, else 'li_zr_one_layer' (a stacking variant
    of the layered ideal phase with Li and Zr in the same single layer)."""
    if xy_layers(atoms, "Zr") > 1:
        return "zr_several_layers"
    return "zr_one_layer" if xy_layers(atoms, "Li") > 1 else "li_zr_one_layer"


def matches_rule(atoms: Atoms, rule: str) -> bool:
    """Whether an ordering may become a phase chosen by ``rule`` (see ORDERING_RULES)."""
    if rule not in ORDERING_RULES:
        raise ValueError(f"unknown ordering rule {rule!r}; use one of {', '.join(ORDERING_RULES)}")
    return rule == "lowest" or ordering_class(atoms) == rule


def to_atoms(structure: Structure) -> Atoms:
    """pymatgen Structure to ASE Atoms (periodic)."""
    return AseAtomsAdaptor.get_atoms(structure)


def relax(atoms: Atoms, calculator, fmax_eV_A: float, max_steps: int) -> tuple[Atoms, bool]:
    """Relax positions and cell (FIRE on a FrechetCellFilter) with ``calculator``.

    Returns the relaxed copy and whether it reached ``fmax_eV_A`` (eV/Å) within ``max_steps``.
    """
    relaxed = atoms.copy()
    relaxed.calc = calculator
    optimizer = FIRE(FrechetCellFilter(relaxed), logfile=None)
    converged = bool(optimizer.run(fmax=fmax_eV_A, steps=max_steps))
    return relaxed, converged


def supercell(atoms: Atoms, replication: list[int]) -> Atoms:
    """Replicate a cell ``replication`` = [na, nb, nc] times along its lattice vectors."""
    return atoms.repeat(tuple(replication))
