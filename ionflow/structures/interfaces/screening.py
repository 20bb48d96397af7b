"""Screen film/substrate pairs over Miller indices and terminations; the screening table.

One candidate is one orientation relationship (film Miller, substrate Miller, in-plane
supercell match) with one film and one substrate termination. Miller indices are taken one per
symmetry family (point group of each crystal), matches one per orientation relationship
(:func:`ionflow.structures.interfaces.lattice_match.distinct_matches`), terminations one per symmetry
class (:func:`ionflow.structures.interfaces.surfaces.terminations`). Lattice matching (cheap) runs for
every Miller pair first; terminations and atom counts only for Miller pairs with a match.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pymatgen.analysis.interfaces.zsl import ZSLMatch
from pymatgen.core import Structure
from pymatgen.core.surface import get_symmetrically_distinct_miller_indices

from ionflow.structures.interfaces.lattice_match import (
    angle_strain,
    distinct_matches,
    find_matches,
    length_strains,
    matched_area_A2,
)
from ionflow.structures.interfaces.surfaces import slab, standard_cell, surface_cell, terminations


@dataclass(frozen=True)
class InterfaceCandidate:
    """A lattice-matched interface before it is built: what :func:`build_interface` needs.

    ``film`` and ``substrate`` are the standard cells the Miller indices refer to. Atom counts
    are for slabs of at least ``thickness_A`` (Å) each over the matched area.
    """

    film_name: str
    substrate_name: str
    film: Structure
    substrate: Structure
    film_miller: tuple[int, int, int]
    substrate_miller: tuple[int, int, int]
    match: ZSLMatch
    orientation: int
    film_termination: str
    substrate_termination: str
    film_shift: float
    substrate_shift: float
    thickness_A: float
    film_atoms: int
    substrate_atoms: int

    @property
    def area_A2(self) -> float:
        """Matched (interface-cell) area, Å²."""
        return matched_area_A2(self.match)

    @property
    def max_length_strain(self) -> float:
        """max_k | |s_k| / |f_k| − 1 | (fraction)."""
        return float(np.abs(length_strains(self.match.film_sl_vectors, self.match.substrate_sl_vectors)).max())

    def record(self) -> dict:
        """The candidate as one row of plain values (strains as fractions, area in Å²)."""
        strain_1, strain_2 = length_strains(self.match.film_sl_vectors, self.match.substrate_sl_vectors)
        return {
            "film": self.film_name,
            "substrate": self.substrate_name,
            "film_miller": miller_label(self.film_miller),
            "substrate_miller": miller_label(self.substrate_miller),
            "orientation": self.orientation,
            "film_termination": self.film_termination,
            "substrate_termination": self.substrate_termination,
            "area_A2": round(self.area_A2, 3),
            "max_length_strain": round(self.max_length_strain, 5),
            "length_strain_1": round(float(strain_1), 5),
            "length_strain_2": round(float(strain_2), 5),
            "angle_strain": round(angle_strain(self.match.film_sl_vectors, self.match.substrate_sl_vectors), 5),
            "film_cells": supercell_multiple(self.match.film_sl_vectors, self.match.film_vectors),
            "substrate_cells": supercell_multiple(self.match.substrate_sl_vectors, self.match.substrate_vectors),
            "thickness_A": self.thickness_A,
            "film_atoms": self.film_atoms,
            "substrate_atoms": self.substrate_atoms,
        }


def orientation_key(record: dict) -> tuple:
    """One orientation relationship of a record (or built interface ``info``): film, substrate,
    their Miller indices and the match index."""
    return record["film"], record["substrate"], record["film_miller"], record["substrate_miller"], record["orientation"]


def miller_label(miller: tuple[int, int, int]) -> str:
    """'(1 -1 0)'-style label (spaces keep negative indices readable in a CSV)."""
    return "(" + " ".join(str(int(i)) for i in miller) + ")"


def supercell_multiple(supercell_vectors, unit_vectors) -> int:
    """How many surface unit cells the supercell holds (ratio of areas, an integer)."""
    return int(round(np.linalg.norm(np.cross(*supercell_vectors)) / np.linalg.norm(np.cross(*unit_vectors))))


def screen_interfaces(
    film: Structure,
    substrate: Structure,
    max_miller: int,
    max_area_A2: float,
    max_strain: float,
    film_name: str = "film",
    substrate_name: str = "substrate",
    max_angle_strain: float = 0.01,
    thickness_A: float = 10.0,
    termination_ftol_A: float = 0.25,
) -> list[InterfaceCandidate]:
    """Interface candidates of ``film`` strained onto ``substrate``.

    Both structures are first put in their standard setting (:func:`standard_cell`); Miller
    indices up to ``max_miller`` refer to it. Limits: matched area < ``max_area_A2`` (Å²),
    max length strain < ``max_strain`` and |angle strain| ≤ ``max_angle_strain`` (fractions).
    Atom counts are for slabs of at least ``thickness_A`` (Å). Sorted by max length strain,
    then area.
    """
    film, substrate = standard_cell(film), standard_cell(substrate)
    film_surfaces = {m: surface_cell(film, m) for m in get_symmetrically_distinct_miller_indices(film, max_miller)}
    substrate_surfaces = {
        m: surface_cell(substrate, m) for m in get_symmetrically_distinct_miller_indices(substrate, max_miller)
    }
    surface_data = {}  # (structure name, Miller) -> (terminations, atoms per unit-cell slab)

    def terminations_and_atoms(name, structure, miller):
        if (name, miller) not in surface_data:
            found = terminations(structure, miller, termination_ftol_A)
            surface_data[name, miller] = found, len(slab(structure, miller, found[0][1], thickness_A))
        return surface_data[name, miller]

    candidates = []
    for film_miller, (film_vectors, film_normal) in film_surfaces.items():
        for substrate_miller, (substrate_vectors, substrate_normal) in substrate_surfaces.items():
            matches = find_matches(film_vectors, substrate_vectors, max_area_A2, max_strain, max_angle_strain)
            if not matches:
                continue
            matches = distinct_matches(matches, film, film_normal, substrate, substrate_normal)
            film_terminations, film_slab_atoms = terminations_and_atoms("film", film, film_miller)
            substrate_terminations, substrate_slab_atoms = terminations_and_atoms(
                "substrate", substrate, substrate_miller
            )
            for orientation, match in enumerate(matches, start=1):
                film_atoms = film_slab_atoms * supercell_multiple(match.film_sl_vectors, film_vectors)
                substrate_atoms = substrate_slab_atoms * supercell_multiple(
                    match.substrate_sl_vectors, substrate_vectors
                )
                candidates.extend(
                    InterfaceCandidate(
                        film_name,
                        substrate_name,
                        film,
                        substrate,
                        tuple(film_miller),
                        tuple(substrate_miller),
                        match,
                        orientation,
                        film_label,
                        substrate_label,
                        film_shift,
                        substrate_shift,
                        thickness_A,
                        film_atoms,
                        substrate_atoms,
                    )
                    for film_label, film_shift in film_terminations
                    for substrate_label, substrate_shift in substrate_terminations
                )
    return sorted(candidates, key=lambda c: (c.max_length_strain, c.area_A2))


def screening_table(candidates: list[InterfaceCandidate]) -> list[dict]:
    """One plain row per candidate (see :meth:`InterfaceCandidate.record`)."""
    return [candidate.record() for candidate in candidates]


def write_screening_csv(rows: list[dict], path: str | Path) -> None:
    """Write screening rows (dicts with the same keys) to ``path`` as CSV."""
    if not rows:
        raise ValueError(f"{path}: no screening rows to write; loosen the limits or check the structures")
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
