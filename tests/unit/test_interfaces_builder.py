"""Interface cells of the training pool with InterOptimus: matches, terminations, cells, energies.

Truths come from hand geometry (the primitive surface cells of fcc: (100) a²/2, (110) a²/√2,
(111) √3a²/4), crystallography (rock-salt (100) planes hold both ions, (111) planes alternate Na
and Cl), the cell the builder promises (stoichiometric slabs, the gap at both interfaces, c normal
to the interface) and paper B's pool rules worked by hand.
"""

from pathlib import Path

import numpy as np
import pytest
from ase import Atoms
from pymatgen.core import Lattice, Structure

from ionflow.structures.interfaces.build import in_plane_repeat_for_atoms, interface_formulas
from ionflow.structures.interfaces.energy import bulk_energy_per_atom, pick_seeds, relax_and_rank, select_pool
from ionflow.structures.interfaces.interoptimus import (
    distinct_termination_pairs,
    lattice_matching,
    single_match_worker,
    standard_cell,
    worker_matches,
)
from ionflow.structures.interfaces.pool import pool_candidates

ROOT = Path(__file__).resolve().parents[2]
STRUCTURES = ROOT / "config/structures"
NEP89 = ROOT / "external/nep89.txt"
A_CU = 3.58982  # EMT equilibrium lattice constant of fcc Cu (Å)
POOL = {"max_area_A2": 40.0, "max_strain": 0.01, "max_miller": 1, "zro2_thickness_A": 8.0, "lzc_thickness_A": 8.0}
POOL |= {"gap_A": 2.2, "max_candidates_per_pair": 2}


def family(label: str) -> tuple:
    """Cubic family of a Miller label: sorted absolute indices."""
    return tuple(sorted(abs(int(i)) for i in label.strip("()").split()))


@pytest.fixture(scope="module")
def zirconia_chloride():
    """Pool cells of the ideal Li2ZrCl6 film on cubic ZrO2 (NEP89-relaxed), Miller indices up to 1."""
    film = Structure.from_file(STRUCTURES / "NEP89-relaxed_ideal_P-31c.cif")
    substrate = Structure.from_file(STRUCTURES / "NEP89-relaxed_ZrO2_cub_Fm-3m.cif")
    return pool_candidates(film, substrate, "ideal", "cubic", POOL)


def test_self_match_has_zero_strain_and_the_primitive_surface_cell_area():
    copper = Structure.from_spacegroup("Fm-3m", Lattice.cubic(A_CU), ["Cu"], [[0, 0, 0]])
    records = [m.record for m in worker_matches(lattice_matching(copper, copper, 20.0, 0.001, 0.01, 1))]
    expected = {(0, 0, 1): A_CU**2 / 2, (0, 1, 1): A_CU**2 / np.sqrt(2), (1, 1, 1): np.sqrt(3) * A_CU**2 / 4}
    for miller, area in expected.items():
        same = [r for r in records if family(r["film_miller"]) == family(r["substrate_miller"]) == miller]
        assert min(r["area_A2"] for r in same) == pytest.approx(area, abs=1e-3)
    assert all(r["max_length_strain"] == r["angle_strain"] == r["von_mises_strain"] == 0 for r in records)


def test_termination_pairs_of_rock_salt():
    nacl = Structure.from_spacegroup("Fm-3m", Lattice.cubic(5.64), ["Na", "Cl"], [[0, 0, 0], [0.5, 0.5, 0.5]])

    def pairs(miller):
        worker = lattice_matching(nacl, nacl, 20.0, 0.001, 0.01, 1, [miller], [miller])
        single = single_match_worker(worker, worker_matches(worker)[0].index, 0.15, 6.0, 6.0)
        return [tuple(label.split("_")[1] for label in pair) for pair in single.all_unique_terminations[0]]

    assert pairs((1, 0, 0)) == [("NaCl", "NaCl")]  # every (100) plane holds Na and Cl
    # (111): Na and Cl planes alternate; like or unlike planes meet (the cell upside down is the same)
    assert sorted(tuple(sorted(p)) for p in pairs((1, 1, 1))) == [("Cl2", "Na"), ("Na", "Na")]


def test_glide_related_terminations_give_one_cell():
    # ideal Li2ZrCl6 (P-31c) has a c glide: its two formula-unit layers are one termination of (001),
    # so of InterOptimus's four pairs on cubic ZrO2 (111) two cells remain, one per ZrO2 face (Zr, O2)
    film = Structure.from_file(STRUCTURES / "NEP89-relaxed_ideal_P-31c.cif")
    substrate = Structure.from_file(STRUCTURES / "NEP89-relaxed_ZrO2_cub_Fm-3m.cif")
    worker = lattice_matching(
        standard_cell(film), standard_cell(substrate), 40.0, 0.01, 0.01, 1, [(0, 0, 1)], [(1, 1, 1)]
    )
    single = single_match_worker(worker, worker_matches(worker)[0].index, 0.15, 8.0, 8.0)
    distinct = distinct_termination_pairs(single, 2.2)
    assert len(single.all_unique_terminations[0]) == 4 and len(distinct) == 2
    faces = sorted(single.all_unique_terminations[0][pair][1].split("_")[1] for pair, _ in distinct)
    assert faces == ["O2", "Zr"]


def test_pool_cell_composition_area_and_gaps(zirconia_chloride):
    assert 1 <= len(zirconia_chloride) <= POOL["max_candidates_per_pair"]
    for atoms in zirconia_chloride:
        film, substrate = atoms[atoms.get_tags() == 2], atoms[atoms.get_tags() == 1]
        assert (atoms.info["film_atoms"], atoms.info["substrate_atoms"]) == (len(film), len(substrate))
        film_formula, substrate_formula = interface_formulas(atoms)
        assert film.get_chemical_formula(empirical=True) == "Cl6Li2Zr" and film_formula.startswith("Li")
        assert substrate.get_chemical_formula(empirical=True) == "O2Zr" and substrate_formula.startswith("Zr")
        assert atoms.info["max_length_strain"] < POOL["max_strain"] and atoms.info["area_A2"] < POOL["max_area_A2"]
        # the cell is the substrate's supercell; InterOptimus's area is the unstrained film's
        area = np.linalg.norm(np.cross(atoms.cell[0], atoms.cell[1]))
        assert abs(area / atoms.info["area_A2"] - 1) <= (1 + atoms.info["max_length_strain"]) ** 2 - 1 + 1e-4
        assert atoms.cell[2][:2] == pytest.approx([0, 0], abs=1e-9)  # c normal to the interface
        z_film, z_substrate = film.positions[:, 2], substrate.positions[:, 2]
        assert z_film.min() - z_substrate.max() == pytest.approx(POOL["gap_A"], abs=1e-3)
        assert z_substrate.min() + atoms.cell[2][2] - z_film.max() == pytest.approx(POOL["gap_A"], abs=1e-3)


def test_select_pool_and_seeds():

    rows = [
        {
            "film": f,
            "substrate": s,
            "film_miller": "(0 0 1)",
            "substrate_miller": "(1 1 1)",
            "orientation": o,
            "gamma_J_m2": g,
        }
        for f, s, o, g in [
            ("ideal", "cubic", 1, 0.3),
            ("ideal", "cubic", 1, 0.1),
            ("ideal", "cubic", 1, 0.2),
            ("ideal", "cubic", 2, 0.5),
            ("alpha", "cubic", 1, 0.9),
            ("alpha", "mono", 1, 0.4),
        ]
    ]
    pool = select_pool(rows, per_orientation=2)
    assert [(r["film"], r["orientation"], r["gamma_J_m2"]) for r in pool] == [
        ("ideal", 1, 0.1),
        ("ideal", 1, 0.2),
        ("alpha", 1, 0.4),
        ("ideal", 2, 0.5),
        ("alpha", 1, 0.9),
    ]
    seeds = pick_seeds(pool, n_seeds=3, seed=1)
    assert {(r["film"], r["substrate"]) for r in seeds} == {("ideal", "cubic"), ("alpha", "cubic"), ("alpha", "mono")}


def test_in_plane_repeat_for_target_atoms():
    atoms = Atoms("H100", positions=np.zeros((100, 3)), cell=[10.0, 5.0, 20.0], pbc=True)
    # 10^4 atoms: 10 x 10 and 9 x 11 are too elongated (aspect 2, 1.64); 7 x 14 (9800 atoms,
    # 70 x 70 Å) and 6 x 17 (10200) are closest, the square one wins
    assert in_plane_repeat_for_atoms(atoms, 10_000) == (7, 14)


def test_self_interface_energy_zero_at_bulk_registry():
    from ase.calculators.emt import EMT

    copper = Structure.from_spacegroup("Fm-3m", Lattice.cubic(A_CU), ["Cu"], [[0, 0, 0]])
    pool = POOL | {"max_area_A2": 7.0, "max_strain": 0.001, "zro2_thickness_A": 6.0, "lzc_thickness_A": 6.0}
    pool |= {"gap_A": A_CU / 2, "max_candidates_per_pair": 10}  # fcc (100) planes are a/2 apart
    on_top = next(
        a for a in pool_candidates(copper, copper, "Cu", "Cu", pool) if family(a.info["film_miller"]) == (0, 0, 1)
    )
    bulk_like = on_top.copy()  # each (100) plane shifted by half the primitive surface cell
    film = bulk_like.get_tags() == 2
    bulk_like.positions[film] += (bulk_like.cell[0] + bulk_like.cell[1]) / 2
    bulk_like.wrap()
    on_top.info["registry"], bulk_like.info["registry"] = "on top", "bulk"
    e_bulk = bulk_energy_per_atom(copper, EMT(), fmax_eV_A=1e-4)
    ranked = relax_and_rank([on_top, bulk_like], EMT(), {"Cu": e_bulk}, fmax_eV_A=0.01, max_steps=30)
    assert ranked[0]["registry"] == "bulk"
    assert ranked[0]["gamma_J_m2"] == pytest.approx(0.0, abs=1e-3)
    assert ranked[1]["gamma_J_m2"] > 0.5


@pytest.mark.skipif(not NEP89.is_file(), reason="external/nep89.txt missing; run `make install`")
def test_relax_and_rank_with_nep89_keeps_the_in_plane_cell(zirconia_chloride):
    from ionflow.reference.foundation import nep89_calculator

    atoms = zirconia_chloride[0]
    calculator = nep89_calculator(str(NEP89))
    bulk = {
        "ideal": bulk_energy_per_atom(
            Structure.from_file(STRUCTURES / "NEP89-relaxed_ideal_P-31c.cif"), calculator, fmax_eV_A=0.02
        ),
        "cubic": bulk_energy_per_atom(
            Structure.from_file(STRUCTURES / "NEP89-relaxed_ZrO2_cub_Fm-3m.cif"), calculator, fmax_eV_A=0.02
        ),
    }
    [row] = relax_and_rank([atoms], calculator, bulk, fmax_eV_A=0.05, max_steps=15)
    assert row["atoms"].cell[:2] == pytest.approx(atoms.cell[:2], abs=1e-9)
    assert row["steps"] <= 15 and np.isfinite(row["gamma_J_m2"])
    start = atoms.copy()
    start.calc = calculator
    assert row["energy_eV"] < start.get_potential_energy()
