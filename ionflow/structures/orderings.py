"""Phases from partially occupied site models: enumerate orderings, classify, relax, rank.

The CIFs are literature site sets with partial occupancies (reconstructed, not refined data).
An ordering is one way to fill the partially occupied sites at fixed composition. Orderings are
enumerated with pymatgen (electrostatic pre-ranking with oxidation states from the config or
pymatgen's guess), made unique by symmetry, classified by how a framework cation fills the xy
layers, relaxed with the reference calculator and ranked by energy.

An ordering rule is ``lowest`` (any ordering) or ``<m>_several_layers`` / ``<m>_one_layer`` with
``<m>`` a cation's symbol in lower case: the cation spread over several xy layers, or all in
one layer with the mobile species in more than one (``zr_several_layers``: ordered α-Li2ZrCl6;
``zr_one_layer``: disordered α).
"""

from __future__ import annotations

import re

import numpy as np
from ase import Atoms
from ase.filters import FrechetCellFilter
from ase.optimize import FIRE
from pymatgen.analysis.structure_matcher import StructureMatcher
from pymatgen.core import Composition, Structure
from pymatgen.io.ase import AseAtomsAdaptor
from pymatgen.transformations.standard_transformations import OrderDisorderedStructureTransformation

ORDERING_RULE = re.compile(r"^(?:lowest|(?P<cation>[a-z]{1,2})_(?P<layers>several_layers|one_layer))$")


def rule_cation(rule: str) -> str | None:
    """The cation (element symbol) an ordering rule names; None for ``lowest``."""
    match = ORDERING_RULE.match(rule)
    if match is None:
        raise ValueError(
            f"unknown ordering rule {rule!r}; use lowest, <m>_several_layers or <m>_one_layer "
            "with <m> a cation's symbol in lower case (e.g. zr_several_layers)"
        )
    return match["cation"].capitalize() if match["cation"] else None


def oxidation_states(structure: Structure, given: dict[str, float] | None = None) -> dict[str, float]:
    """Oxidation state per element: ``given`` (config ``oxidation_states``), else pymatgen's most
    likely charge-balanced guess for the reduced formula."""
    elements = sorted(str(element) for element in structure.composition.elements)
    if given:
        missing = [element for element in elements if element not in given]
        if missing:
            raise ValueError(f"oxidation_states has no value for {', '.join(missing)}; add them to the config")
        return {element: given[element] for element in elements}
    guesses = Composition(structure.composition.reduced_formula).oxi_state_guesses()
    if not guesses:
        raise ValueError(
            f"pymatgen finds no charge-balanced oxidation states for {structure.composition.reduced_formula}; "
            "give them in the config (oxidation_states: {element: charge})"
        )
    return dict(guesses[0])


def enumerate_orderings(
    cif_path: str, max_orderings: int, rule: str = "lowest", mobile: str = "Li", oxidation: dict | None = None
) -> list[Structure]:
    """Symmetry-unique orderings of a partially occupied CIF that satisfy ``rule`` (module
    docstring; ``mobile`` the mobile species), with ``oxidation`` states (``oxidation_states``).

    Orderings come best electrostatic (Ewald) energy first; at most ``max_orderings`` are
    returned. A fully ordered CIF returns itself.
    """
    structure = Structure.from_file(cif_path)
    cation = rule_cation(rule)
    if cation is not None and cation not in {str(e) for e in structure.composition.elements}:
        raise ValueError(f"{cif_path}: ordering rule {rule!r} names {cation}, which the structure does not hold")
    if structure.is_ordered:
        return [structure]
    structure.add_oxidation_state_by_element(oxidation_states(structure, oxidation))
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
        if not matches_rule(to_atoms(candidate), rule, mobile):
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


def ordering_class(atoms: Atoms, cation: str = "Zr", mobile: str = "Li") -> str:
    """'<m>_several_layers' when ``cation`` spreads over xy layers, '<m>_one_layer' if all of it
    shares one and ``mobile`` fills more than one, else '<mobile>_<m>_one_layer' (e.g. a
    stacking variant of the layered ideal phase with Li and Zr in the same single layer)."""
    m = cation.lower()
    if xy_layers(atoms, cation) > 1:
        return f"{m}_several_layers"
    return f"{m}_one_layer" if xy_layers(atoms, mobile) > 1 else f"{mobile.lower()}_{m}_one_layer"


def matches_rule(atoms: Atoms, rule: str, mobile: str = "Li") -> bool:
    """Whether an ordering may become a phase chosen by ``rule`` (module docstring)."""
    cation = rule_cation(rule)
    return cation is None or ordering_class(atoms, cation, mobile) == rule


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
