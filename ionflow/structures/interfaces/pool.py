"""Candidate interfaces of the training pool (paper B): InterOptimus's matches within the pool limits.

For one substrate/film pair, InterOptimus matches the primitive cells over every Miller index up
to ``max_miller`` (conventional basis) with area below ``max_area_A2`` (Å²), largest length strain
below ``max_strain`` (paper B: 120 Å², 10 %) and angle strain at most 1 %. Matches are taken in
InterOptimus's order, lowest von Mises strain first. Each match's termination pairs (InterOptimus's
enumeration for two-interface cells, less pairs that give the same cell) are built unshifted,
``gap_A`` (Å) apart; the relaxation with the foundation model that follows
(:func:`~ionflow.structures.interfaces.energy.relax_and_rank`, as in paper B) moves them to the
registration nearby. Cells of more than ``max_atoms`` atoms are skipped, and building stops at
``max_candidates_per_pair`` cells.
"""

from __future__ import annotations

import numpy as np
from ase import Atoms
from pymatgen.core import Structure

from ionflow.structures.interfaces.build import FILM_TAG, SUBSTRATE_TAG, interface_atoms
from ionflow.structures.interfaces.interoptimus import (
    MAX_ANGLE_STRAIN,
    distinct_termination_pairs,
    lattice_matching,
    single_match_worker,
    standard_cell,
    worker_matches,
)

TERMINATION_FTOL = 0.15  # InterOptimus's default: planes closer than 15 % of a layer are one


def pool_candidates(
    film: Structure, substrate: Structure, film_name: str, substrate_name: str, pool: dict
) -> list[Atoms]:
    """Tagged two-interface cells of ``film`` strained onto ``substrate`` under the ``pool`` settings
    (``study_b.pool``). ``info`` holds the names, the match's record (both Miller bases, area, the
    three strains), ``orientation`` (the match's rank within the pair), both terminations and the
    atom counts of film and substrate."""
    worker = lattice_matching(
        standard_cell(film),
        standard_cell(substrate),
        pool["max_area_A2"],
        pool["max_strain"],
        MAX_ANGLE_STRAIN,
        pool["max_miller"],
    )
    limit, max_atoms = pool.get("max_candidates_per_pair", np.inf), pool.get("max_atoms", np.inf)
    built = []
    for rank, match in enumerate(worker_matches(worker), start=1):
        single = single_match_worker(
            worker, match.index, TERMINATION_FTOL, pool["lzc_thickness_A"], pool["zro2_thickness_A"]
        )
        for pair, interface in distinct_termination_pairs(single, pool["gap_A"]):
            film_termination, substrate_termination = single.all_unique_terminations[0][pair]
            if len(interface) > max_atoms:
                continue
            atoms = interface_atoms(interface, pool["gap_A"])
            atoms.info = {
                "film": film_name,
                "substrate": substrate_name,
                **match.record,
                "orientation": rank,
                "film_termination": film_termination,
                "substrate_termination": substrate_termination,
                "film_atoms": int(np.sum(atoms.get_tags() == FILM_TAG)),
                "substrate_atoms": int(np.sum(atoms.get_tags() == SUBSTRATE_TAG)),
            }
            built.append(atoms)
            if len(built) >= limit:
                return built
    return built
