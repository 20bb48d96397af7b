"""Terminations and registration of a matched interface with InterOptimus, ranked by interface energy.

For one lattice match, InterOptimus (the generator of paper B) enumerates the termination pairs
that give distinct two-interface cells: a pair and the pair that turns the periodic cell upside
down are one cell. For each pair it finds the registration by Bayesian optimisation
(scikit-optimize ``gp_minimize``) of the rigid cell's energy over three coordinates:

- the in-plane shift of the film over the substrate, in fractions of the CNID cell (the
  smallest shifts that keep the interface's coincidence-site lattice);
- the gap between the slabs (Å), the same at both interfaces of the periodic cell.

Here the energy comes from the reference calculator (NEP89 on these machines; MACE-MPA-0 in paper B),
and the pairs are ranked by the interface energy of their best registration:

    γ = (E − n_film·e_film − n_substrate·e_substrate) / (2A)   (J/m²)

Registrations that put interface atoms closer than InterOptimus's ``discut`` (0.8 Å) are rejected
without an energy. Slabs hold whole layers: each slab thickness (Å) is rounded to a number of
layers (at least one).
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
from ase import Atoms
from pymatgen.core import Structure
from pymatgen.io.ase import AseAtomsAdaptor

from ionflow.structures.interfaces.build import (
    FILM_TAG,
    SUBSTRATE_TAG,
    in_plane_repeat_for_atoms,
    interface_atoms,
    interface_formulas,
)
from ionflow.structures.interfaces.energy import interface_energy_J_m2
from ionflow.structures.interfaces.interoptimus import (
    OrientationMatch,
    best_match,
    distinct_termination_pairs,
    lattice_matching,
    matching_cell,
    single_match_worker,
    system_matches,
    worker_matches,
)

# InterOptimus's own floor on Bayesian-optimisation calls per termination pair.
MIN_CALLS = 10
MILLER_KEYS = ("film_miller", "substrate_miller", "film_miller_primitive", "substrate_miller_primitive")
STRAIN_KEYS = ("area_A2", "max_length_strain", "angle_strain", "von_mises_strain")


class ReferenceEnergy:
    """InterOptimus's energy-calculator interface (``calculate(structure)``, eV) over an ASE calculator."""

    def __init__(self, calculator):
        self.calculator = calculator

    def calculate(self, structure: Structure) -> float:
        atoms = AseAtomsAdaptor.get_atoms(structure)
        atoms.calc = self.calculator
        return float(atoms.get_potential_energy())


def _same_lattice(found: np.ndarray, wanted: np.ndarray) -> bool:
    """Two supercell bases (rows, fractional) that span the same 2D lattice (a unimodular change of basis)."""
    transform = np.linalg.lstsq(wanted.T, found.T, rcond=None)[0].T
    return bool(
        np.allclose(transform @ wanted, found, atol=1e-6)
        and np.allclose(transform, np.round(transform), atol=1e-6)
        and np.isclose(abs(np.linalg.det(transform)), 1.0)
    )


def matched_worker(
    film: Structure, substrate: Structure, match: OrientationMatch, settings: dict
) -> tuple[object, OrientationMatch]:
    """InterOptimus's worker on the conventional cells of ``film`` and ``substrate`` (the relaxed
    ones) holding one lattice match: the supercells of ``match`` (found on cells of any lattice
    constants), with its termination pairs enumerated for two-interface cells with ``settings``'
    slab thicknesses (Å) and ``termination_ftol``; returned with that match on the relaxed cells
    (its record: area and the three strains there).

    InterOptimus searches the match's Miller pair on these cells with ``search_length_strain`` as
    the bound on both length and angle strain, and the worker keeps the match whose film and
    substrate supercells span the same lattices as ``match``'s: the same vectors where they are
    among them, else the pairing of lowest von Mises strain (lattice constants other than the
    matching ones can make another pairing of the same supercells the better one). None is an
    error naming the fix."""
    bound = settings["search_length_strain"]
    worker = lattice_matching(
        matching_cell(film),
        matching_cell(substrate),
        settings["max_area_A2"] * (1 + bound) ** 2,
        bound,
        bound,
        max(abs(i) for i in (*match.film_miller, *match.substrate_miller)),
        [match.film_miller],
        [match.substrate_miller],
    )
    same = [
        m
        for m in worker_matches(worker)
        if _same_lattice(m.film_vectors, match.film_vectors)
        and _same_lattice(m.substrate_vectors, match.substrate_vectors)
    ]
    if not same:
        raise RuntimeError(
            f"match {match.record['film_miller']} / {match.record['substrate_miller']} of "
            f"{match.record['area_A2']} A^2 has no counterpart on the relaxed cells within a length and angle "
            f"strain of {bound}; raise study_b.interfaces.search_length_strain"
        )
    relaxed = min(  # the same vectors first, then the lowest von Mises strain
        same,
        key=lambda m: (
            not (
                np.allclose(m.film_vectors, match.film_vectors)
                and np.allclose(m.substrate_vectors, match.substrate_vectors)
            ),
            m.record["von_mises_strain"],
        ),
    )
    registration = settings["registration"]
    worker = single_match_worker(
        worker,
        relaxed.index,
        registration["termination_ftol"],
        settings["lzc_thickness_A"],
        settings["zro2_thickness_A"],
    )
    return worker, relaxed


def rank_registrations(
    worker,
    calculator,
    film_energy_per_atom: float,
    substrate_energy_per_atom: float,
    calls_per_A2: float,
    gap_range_A: tuple[float, float],
) -> list[dict]:
    """Best registration of every distinct termination pair of ``worker``'s match, lowest γ first.

    Each pair gets max(10, area·``calls_per_A2``) energy calls (InterOptimus's default density: 4 per
    Å²); the gap is searched over ``gap_range_A`` (Å). Bulk energies are per atom (eV), from the same
    ``calculator``. A row holds the two termination labels, the CNID shift (fractions), gap (Å),
    energy (eV), γ (J/m²), the number of calls and the cell (``atoms``, tagged).
    """
    worker.mc = ReferenceEnergy(calculator)
    with contextlib.redirect_stdout(io.StringIO()):
        worker.parse_optimization_params()
    calls = max(MIN_CALLS, int(worker.unique_matches[0].match_area * calls_per_A2))
    rows = []
    for pair, _ in distinct_termination_pairs(worker, max(gap_range_A)):
        film_termination, substrate_termination = worker.all_unique_terminations[0][pair]
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            worker.optimize_specified_interface_by_mlip(0, pair, n_calls=calls, z_range=tuple(gap_range_A))
        result = worker.opt_results[(0, pair)]
        shift_a, shift_b, gap = (float(x) for x in result["xyzs_frac"][0])
        energy = float(result["supcl_E"][0])
        atoms = interface_atoms(result["sampled_interfaces"][0], gap)
        gamma = interface_energy_J_m2(atoms, energy, film_energy_per_atom, substrate_energy_per_atom)
        rows.append(
            {
                "film_termination": film_termination,
                "substrate_termination": substrate_termination,
                "cnid_shift_a": round(shift_a, 4),
                "cnid_shift_b": round(shift_b, 4),
                "gap_A": round(gap, 4),
                "energy_eV": energy,
                "gamma_J_m2": gamma,
                "calls": calls,
                "atoms": atoms,
            }
        )
    return sorted(rows, key=lambda row: row["gamma_J_m2"])


def production_interface(
    lzc: Structure, zro2: Structure, spec: dict, settings: dict, calculator, bulk_energies: dict
) -> tuple[Atoms, list[dict], tuple[int, int]]:
    """The production interface of one of the paper's pairs: the LZC film strained onto the ZrO2
    substrate (relaxed pymatgen Structures).

    InterOptimus's best match of ``spec``'s orientation (``zro2``, ``lzc``, ``zro2_miller``,
    ``lzc_miller``) within ``settings``' limits is taken on the first lattice that has one (the
    relaxed cells, then ``settings["lattices"]`` in order) and found again on the relaxed cells.
    Its termination pairs are ranked by γ at their best registration (``settings["registration"]``,
    energies from ``calculator``, ``bulk_energies`` per atom by bulk name) and the lowest is
    repeated in plane towards ``target_atoms``. Returns (atoms, ranking rows, in-plane repeat).
    ``atoms.info`` names the matching lattice and its strains (``matching_*``), the strains on the
    relaxed cells, the terminations, registration and γ. No match is an error naming the limits and
    the fix.
    """
    for lattice, constants in {"relaxed": {}, **settings["lattices"]}.items():
        match = best_match(system_matches(lzc, zro2, spec, settings, constants), settings["strain_measure"])
        if match is not None:
            break
    else:
        raise RuntimeError(
            f"no {spec['zro2']} {spec['zro2_miller']} / {spec['lzc']} {spec['lzc_miller']} match with "
            f"{settings['strain_measure']} below {settings['max_strain']} and area below {settings['max_area_A2']} A^2 "
            "on any lattice (see tables/interface_screening.csv); add a lattice (study_b.interfaces.lattices), "
            "loosen the limits or drop it from study_b.interfaces.build"
        )
    worker, relaxed = matched_worker(lzc, zro2, match, settings)
    registration = settings["registration"]
    ranking = rank_registrations(
        worker,
        calculator,
        bulk_energies[spec["lzc"]],
        bulk_energies[spec["zro2"]],
        registration["calls_per_A2"],
        registration["gap_range_A"],
    )
    best = ranking[0]
    repeat = in_plane_repeat_for_atoms(best["atoms"], settings["target_atoms"])
    atoms = best["atoms"].repeat((*repeat, 1))
    film_formula, substrate_formula = interface_formulas(atoms)
    atoms.info = {
        "film": spec["lzc"],
        "substrate": spec["zro2"],
        **{key: match.record[key] for key in MILLER_KEYS},
        **{key: relaxed.record[key] for key in STRAIN_KEYS},
        **{key: value for key, value in best.items() if key not in ("atoms", "energy_eV")},  # energy: of one cell
        "film_atoms": int(np.sum(atoms.get_tags() == FILM_TAG)),
        "substrate_atoms": int(np.sum(atoms.get_tags() == SUBSTRATE_TAG)),
        "film_formula": film_formula,
        "substrate_formula": substrate_formula,
        "in_plane_repeat": list(repeat),
        "matching_lattice": lattice,
        **{f"matching_{key}": value for key, value in match.record.items()},
    }
    return atoms, ranking, repeat
