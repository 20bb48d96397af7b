"""Orderings of partially occupied cells: enumeration against brute force, layer classes."""

import itertools
from pathlib import Path

import numpy as np
import pytest
from ase import Atoms
from pymatgen.analysis.structure_matcher import StructureMatcher
from pymatgen.core import Lattice, Structure

from ionflow.structures.orderings import (
    enumerate_orderings,
    matches_rule,
    ordering_class,
    oxidation_states,
    rule_cation,
    supercell,
    to_atoms,
    xy_layers,
)

ROOT = Path(__file__).resolve().parents[2]
BETA = ROOT / "config/structures/beta_Li2ZrCl6_C2m_avg_partialocc_RECONSTRUCTED.cif"
ALPHA = ROOT / "config/structures/alpha_Li2ZrCl6_P-3m1_avg_partialocc_RECONSTRUCTED.cif"


def _brute_force_unique(cif):
    """Every way to fill the partial Li sites at fixed composition, grouped by symmetry."""
    average = Structure.from_file(cif)
    partial = [i for i, site in enumerate(average) if not site.is_ordered]
    n_li = int(round(sum(average[i].species["Li"] for i in partial)))
    orderings = []
    for chosen in itertools.combinations(partial, n_li):
        s = average.copy()
        s.remove_sites([i for i in partial if i not in chosen])
        for i in range(len(s)):
            s.replace(i, s[i].species.elements[0].symbol)
        orderings.append(s)
    return StructureMatcher().group_structures(orderings)


def test_beta_orderings_match_brute_force_symmetry_classes():
    groups = _brute_force_unique(BETA)
    found = enumerate_orderings(str(BETA), max_orderings=50)
    assert len(found) == len(groups)
    for structure in found:
        assert structure.composition.reduced_formula == "Li2ZrCl6"
        assert sum(StructureMatcher().fit(structure, g[0]) for g in groups) == 1


def test_xy_layers_counts_layers_periodically():
    atoms = Atoms("Zr3", scaled_positions=[[0, 0, 0.0], [0.5, 0, 0.98], [0, 0.5, 0.5]], cell=[5, 5, 6], pbc=True)
    assert xy_layers(atoms, "Zr") == 2  # z = 0.98 and 0.0 are one layer across the boundary
    assert xy_layers(atoms, "Li") == 0


def test_alpha_rules_select_the_layer_classes():
    several = enumerate_orderings(str(ALPHA), 3, "zr_several_layers")
    one = enumerate_orderings(str(ALPHA), 3, "zr_one_layer")
    assert several and one
    for structure in several:
        z = np.round(to_atoms(structure).get_scaled_positions()[[s.specie.symbol == "Zr" for s in structure], 2] % 1, 2)
        assert len(set(z) - {1.0}) > 1
    for structure in one:
        atoms = to_atoms(structure)
        assert ordering_class(atoms) == "zr_one_layer"
        z_li = np.round(atoms.get_scaled_positions()[atoms.symbols == "Li", 2] % 1, 2)
        assert len(set(z_li)) > 1


def test_supercell_multiplies_atoms_and_volume():
    atoms = to_atoms(enumerate_orderings(str(BETA), 1)[0])
    big = supercell(atoms, [2, 1, 3])
    assert len(big) == 6 * len(atoms)
    assert np.isclose(big.get_volume(), 6 * atoms.get_volume())


def test_oxidation_states_are_guessed_or_given():
    """pymatgen's guess for both Li2ZrCl6 site models is the charge balance Li+ Zr4+ Cl-."""
    for cif in (ALPHA, BETA):
        assert oxidation_states(Structure.from_file(cif)) == {"Li": 1, "Zr": 4, "Cl": -1}
    structure = Structure.from_file(ALPHA)
    assert oxidation_states(structure, {"Li": 1, "Zr": 4, "Cl": -1, "O": -2}) == {"Cl": -1, "Li": 1, "Zr": 4}
    with pytest.raises(ValueError, match="no value for Zr"):
        oxidation_states(structure, {"Li": 1, "Cl": -1})
    metal = Structure(Lattice.cubic(4.0), ["Li", "Na"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    with pytest.raises(ValueError, match="no charge-balanced oxidation states for NaLi"):
        oxidation_states(metal)


def test_guessed_oxidation_states_give_the_orderings_of_the_old_table():
    guessed = enumerate_orderings(str(ALPHA), 3, "zr_one_layer")
    given = enumerate_orderings(str(ALPHA), 3, "zr_one_layer", oxidation={"Li": 1, "Zr": 4, "Cl": -1})
    assert len(guessed) == len(given) and all(a == b for a, b in zip(guessed, given))


def test_ordering_rules_take_any_cation_and_mobile_species():
    assert rule_cation("zr_several_layers") == "Zr" and rule_cation("y_one_layer") == "Y"
    assert rule_cation("lowest") is None
    with pytest.raises(ValueError, match="unknown ordering rule 'Zr_layers'"):
        rule_cation("Zr_layers")
    with pytest.raises(ValueError, match="names Y, which the structure does not hold"):
        enumerate_orderings(str(ALPHA), 1, "y_several_layers")
    cell = dict(cell=[6, 6, 6], pbc=True)
    spread = Atoms("Y2Na2", scaled_positions=[[0, 0, 0], [0, 0, 0.5], [0.5, 0, 0], [0.5, 0, 0.5]], **cell)
    flat = Atoms("Y2Na2", scaled_positions=[[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.25], [0.5, 0, 0.75]], **cell)
    assert ordering_class(spread, "Y", "Na") == "y_several_layers"
    assert ordering_class(flat, "Y", "Na") == "y_one_layer"
    assert ordering_class(flat, "Na", "Y") == "na_several_layers"
    assert matches_rule(flat, "y_one_layer", "Na") and not matches_rule(flat, "y_several_layers", "Na")
