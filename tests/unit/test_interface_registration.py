"""InterOptimus's terminations and registration ranked by interface energy (production interfaces).

Truths: an fcc crystal cut along (111) and put back together is the bulk again, so the best
registration of Cu(111) on Cu(111) with EMT has the gap of the (111) spacing a/sqrt(3), the bulk
nearest-neighbour distance a/sqrt(2) across the interface and an interface energy of zero; a film
2 % larger than the substrate has no match within 0.1 % on its own lattice but one on a lattice
given in config, and on the relaxed cells that match carries the 2 % strain.
"""

import numpy as np
import pytest
from ase.calculators.emt import EMT
from ase.neighborlist import neighbor_list
from pymatgen.core import Lattice, Structure

from ionflow.structures.interfaces.build import FILM_TAG, SUBSTRATE_TAG, in_plane_repeat_for_atoms
from ionflow.structures.interfaces.energy import bulk_energy_per_atom
from ionflow.structures.interfaces.registration import production_interface

A_CU = 3.58982  # EMT equilibrium lattice constant of fcc Cu (Å)
SPEC = {"zro2": "substrate", "lzc": "film", "zro2_miller": [1, 1, 1], "lzc_miller": [1, 1, 1]}
SETTINGS = {
    "max_strain": 0.001,
    "max_area_A2": 12.0,
    "strain_measure": "max_length_strain",
    "miller_basis": "conventional",
    "search_length_strain": 0.05,
    "lattices": {},
    "lzc_thickness_A": 6.0,
    "zro2_thickness_A": 6.0,
    "target_atoms": 50,
    "registration": {"calls_per_A2": 6, "gap_range_A": [1.8, 2.4], "termination_ftol": 0.15},
}


def copper(a):
    return Structure.from_spacegroup("Fm-3m", Lattice.cubic(a), ["Cu"], [[0, 0, 0]])


@pytest.fixture(scope="module")
def copper_on_copper():
    calculator = EMT()
    energy = bulk_energy_per_atom(copper(A_CU), calculator, fmax_eV_A=1e-4)
    bulk = {"film": energy, "substrate": energy}
    return production_interface(copper(A_CU), copper(A_CU), SPEC, SETTINGS, calculator, bulk)


def test_best_registration_of_a_crystal_on_itself_is_the_bulk(copper_on_copper):
    atoms, ranking, repeat = copper_on_copper
    best = ranking[0]
    assert best["gap_A"] == pytest.approx(A_CU / np.sqrt(3), abs=0.05)
    assert best["gamma_J_m2"] == pytest.approx(0.0, abs=0.02)  # a cleaved crystal: two free surfaces per interface
    i, j, d = neighbor_list("ijd", atoms, 2.2)
    assert len(d) == 0  # no pair closer than the bulk's a/sqrt(2) = 2.54 A less 0.34 A
    tags = atoms.get_tags()
    across = neighbor_list("d", atoms, 2.8)[
        tags[neighbor_list("i", atoms, 2.8)] != tags[neighbor_list("j", atoms, 2.8)]
    ]
    assert across.min() == pytest.approx(A_CU / np.sqrt(2), abs=0.1)
    assert atoms.info["gamma_J_m2"] == best["gamma_J_m2"] and atoms.info["matching_lattice"] == "relaxed"


def test_interface_is_the_best_cell_repeated_to_size(copper_on_copper):
    atoms, ranking, repeat = copper_on_copper
    best = ranking[0]["atoms"]
    assert repeat == in_plane_repeat_for_atoms(best, SETTINGS["target_atoms"])
    assert len(atoms) == len(best) * repeat[0] * repeat[1]
    assert (atoms.info["film_atoms"], atoms.info["substrate_atoms"]) == (
        np.sum(atoms.get_tags() == FILM_TAG),
        np.sum(atoms.get_tags() == SUBSTRATE_TAG),
    )
    assert atoms.info["film_atoms"] > 0 and atoms.info["substrate_atoms"] > 0
    assert [row["gamma_J_m2"] for row in ranking] == sorted(row["gamma_J_m2"] for row in ranking)


def test_match_on_a_given_lattice_is_built_on_the_relaxed_cells_with_their_strain():
    calculator = EMT()
    larger = copper(1.02 * A_CU)
    bulk = {
        "film": bulk_energy_per_atom(larger, calculator),
        "substrate": bulk_energy_per_atom(copper(A_CU), calculator),
    }
    settings = SETTINGS | {"registration": SETTINGS["registration"] | {"calls_per_A2": 1}}
    with pytest.raises(RuntimeError, match=r"no substrate \[1, 1, 1\] / film \[1, 1, 1\] match with max_length_strain"):
        production_interface(larger, copper(A_CU), SPEC, settings, calculator, bulk)
    settings["lattices"] = {"copper": {"film": {"a": A_CU}}}
    atoms, ranking, repeat = production_interface(larger, copper(A_CU), SPEC, settings, calculator, bulk)
    assert atoms.info["matching_lattice"] == "copper"
    assert atoms.info["matching_max_length_strain"] == pytest.approx(0.0, abs=1e-6)
    assert atoms.info["max_length_strain"] == pytest.approx(1 - 1 / 1.02, abs=1e-4)  # |s| / |f| - 1
