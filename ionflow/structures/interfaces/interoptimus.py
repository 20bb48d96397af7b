"""Lattice matching with InterOptimus (paper B's interface generator), with every strain measure.

InterOptimus (Wang et al., the tool paper B used) matches the *primitive* cells of the two
crystals with pymatgen's Zur–McGill (ZSL) search and reports each match's Miller indices in the
primitive and the conventional basis. Its search bounds the largest length strain and the angle
strain; it reports and ranks by the von Mises strain. The three measures differ (an equibiaxial
length strain ε has a von Mises strain of about 2ε/3), and which one a paper's "strain < 1 %"
means decides which interfaces exist, so every match here carries all three:

- ``max_length_strain``: max_k | |s_k| / |f_k| − 1 | over the paired supercell vectors of
  substrate (s) and film (f): what ZSL's ``max_length_tol`` bounds;
- ``angle_strain``: angle(s1, s2) / angle(f1, f2) − 1;
- ``von_mises_strain``: of the Green–Lagrange strain that takes the film cell onto the
  substrate's, sqrt(2/3 e':e') with e' its deviator (pymatgen's ``ZSLMatch.von_mises_strain``).

The area (``area_A2``, Å²) is InterOptimus's match area, that of the unstrained film supercell; the
built cell has the substrate supercell's.

Cells are the conventional standard cells of :func:`standard_cell`;
``matching_cell`` can set their lattice constants to given values (e.g. a paper's DFT cell), so a
match can be told apart from the reference's lattice error. Lengths in Å, areas in Å², strains as
fractions.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
from dataclasses import dataclass
from itertools import permutations, product
from math import gcd

import numpy as np
from pymatgen.analysis.structure_matcher import StructureMatcher
from pymatgen.core import Lattice, Structure
from pymatgen.core.surface import get_symmetrically_equivalent_miller_indices
from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

MILLER_BASES = ("primitive", "conventional")
MAX_ANGLE_STRAIN = 0.01  # pymatgen's and InterOptimus's default max_angle_tol; the paper gives none


def standard_cell(structure: Structure, symprec: float = 0.1) -> Structure:
    """Symmetrised conventional cell in the ITA standard setting (spglib; monoclinic b-unique).

    Conventional Miller indices refer to this cell, as Materials Project conventional cells do;
    ``symprec`` (Å) is loose enough for cells relaxed without symmetry constraints.
    """
    return SpacegroupAnalyzer(structure, symprec=symprec).get_refined_structure()


def miller_label(miller) -> str:
    """'(1 -1 0)'-style label (spaces keep negative indices readable in a CSV)."""
    return "(" + " ".join(str(int(i)) for i in miller) + ")"


def length_strains(film_cell: np.ndarray, substrate_cell: np.ndarray) -> np.ndarray:
    """|s_k| / |f_k| − 1 for the two vectors of matched supercells (2×3 each; fractions, signed)."""
    return np.linalg.norm(substrate_cell, axis=-1) / np.linalg.norm(film_cell, axis=-1) - 1.0


def angle_strain(film_cell: np.ndarray, substrate_cell: np.ndarray) -> float:
    """angle(s1, s2) / angle(f1, f2) − 1 (fraction, signed)."""

    def angle(cell):
        return np.arctan2(np.linalg.norm(np.cross(cell[0], cell[1])), cell[0] @ cell[1])

    return float(angle(np.asarray(substrate_cell)) / angle(np.asarray(film_cell)) - 1.0)


def matching_cell(structure: Structure, lattice_constants: dict | None = None) -> Structure:
    """Conventional standard cell of ``structure``; with ``lattice_constants`` ({"a": Å, "b": Å,
    "c": Å}, any of them) those lengths set, the angles and fractional coordinates kept. A length
    left out that equals a given one in this cell (b = a of a hexagonal cell) takes its value."""
    cell = standard_cell(structure)
    if not lattice_constants:
        return cell
    unknown = set(lattice_constants) - set("abc")
    if unknown:
        raise ValueError(f"lattice constants {sorted(unknown)}: give only a, b and c (Å)")
    relaxed = dict(zip("abc", cell.lattice.abc))
    lengths = []
    for axis, length in relaxed.items():  # a length left out follows a given one it equals (a = b, hexagonal)
        equal = [given for given in lattice_constants if np.isclose(relaxed[given], length, rtol=1e-6)]
        lengths.append(float(lattice_constants[axis if axis in lattice_constants else equal[0]]) if equal else length)
    return Structure(Lattice.from_parameters(*lengths, *cell.lattice.angles), cell.species, cell.frac_coords)


def _smallest_integers(vector: np.ndarray, max_denominator: int = 60) -> tuple[int, int, int]:
    """The integer triple parallel to ``vector`` with no common factor (sign as given)."""
    scaled = vector / np.abs(vector[np.abs(vector) > 1e-8]).min()
    for multiple in range(1, max_denominator + 1):
        candidate = scaled * multiple
        if np.allclose(candidate, np.round(candidate), atol=1e-6):
            integers = [int(round(x)) for x in candidate]
            common = gcd(*integers)
            return tuple(x // common for x in integers)
    raise ValueError(f"plane normal {vector} has no small integer index (up to {max_denominator})")


def conventional_miller(primitive_miller, cell: Structure, primitive: Structure | None = None) -> tuple[int, int, int]:
    """Index, in the conventional ``cell``, of the plane with index ``primitive_miller`` in the
    basis of ``primitive``: by default pymatgen's primitive cell of ``cell``, the cell
    InterOptimus matches on."""
    primitive = cell.get_primitive_structure() if primitive is None else primitive
    normal = np.asarray(primitive_miller, float) @ primitive.lattice.reciprocal_lattice_crystallographic.matrix
    return _smallest_integers(cell.lattice.matrix @ normal)


def conventional_millers(miller, cell: Structure, basis: str) -> list[tuple[int, int, int]]:
    """The conventional indices of the planes that ``miller`` (in ``basis``) may name, one per
    symmetry family of ``cell``.

    A primitive lattice (P) has one basis: ``miller`` itself. A centred one has no unique
    primitive setting (pymatgen's primitive cell of fluorite ZrO2 maps (2 2 1) to {311} and
    (2 2 -1) to {511}), so a primitive-basis index stands for every plane its entries name up to
    order and signs.
    """
    if basis not in MILLER_BASES:
        raise ValueError(f"Miller basis {basis!r}: use one of {MILLER_BASES}")
    miller = tuple(int(i) for i in miller)
    primitive = cell.get_primitive_structure()
    if basis == "conventional" or len(primitive) == len(cell):
        return [miller]
    variants = {
        tuple(s * i for s, i in zip(signs, order))
        for order in permutations(miller)
        for signs in product((1, -1), repeat=3)
    }
    planes = {conventional_miller(variant, cell, primitive) for variant in variants}
    families: dict[tuple[int, int, int], list] = {}
    for plane in sorted(planes, key=lambda p: (sum(map(abs, p)), p)):
        if not any(plane in family for family in families.values()):
            families[plane] = get_symmetrically_equivalent_miller_indices(cell, plane)
    return list(families)


def interface_worker():
    """InterOptimus's ``InterfaceWorker`` class, imported (3 s, numba) without the settings its import
    writes into ``os.environ`` for the whole process (OMP_NUM_THREADS=1, MKL_NUM_THREADS=1,
    MPLBACKEND=Agg, ...): every later subprocess (LAMMPS, DeePMD, a training) would inherit them."""
    saved = dict(os.environ)
    try:
        from InterOptimus.itworker import InterfaceWorker
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return InterfaceWorker


@dataclass(frozen=True)
class OrientationMatch:
    """One InterOptimus match: its screening ``record`` (both Miller bases, the three strain
    measures, area), its supercell vectors as fractional coordinates (2×3) of the conventional
    film and substrate cells it was found on, which can be found again on cells of other lattice
    constants (the reference's relaxed ones), the Miller indices of the two planes in the
    conventional basis and in the basis of pymatgen's primitive cells, and its ``index`` among
    the worker's unique matches."""

    record: dict
    film_vectors: np.ndarray
    substrate_vectors: np.ndarray
    film_miller: tuple[int, int, int]
    substrate_miller: tuple[int, int, int]
    film_miller_primitive: tuple[int, int, int]
    substrate_miller_primitive: tuple[int, int, int]
    index: int


def lattice_matching(
    film: Structure,
    substrate: Structure,
    max_area_A2: float,
    max_length_strain: float,
    max_angle_strain: float,
    max_miller: int,
    film_millers: list | None = None,
    substrate_millers: list | None = None,
):
    """InterOptimus's worker for the conventional cells ``film`` on ``substrate`` after its lattice
    matching: area below ``max_area_A2`` (Å²), largest length strain below ``max_length_strain``, |angle
    strain| ≤ ``max_angle_strain``, conventional Miller indices up to ``max_miller`` (or only the
    pairs of ``film_millers`` × ``substrate_millers``). No match leaves its match list empty."""
    worker = interface_worker()(film, substrate)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):  # progress bars
        try:
            worker.lattice_matching(
                max_area=max_area_A2,
                max_length_tol=max_length_strain,
                max_angle_tol=max_angle_strain,
                film_max_miller=max_miller,
                substrate_max_miller=max_miller,
                film_millers=film_millers,
                substrate_millers=substrate_millers,
            )
        except ValueError as err:
            if "No lattice matches" not in str(err):
                raise
            worker.unique_matches, worker.unique_matches_indices_data = [], []
    return worker


def worker_matches(worker) -> list[OrientationMatch]:
    """The unique matches of a ``worker`` after its lattice matching, lowest von Mises strain first."""
    matches = []
    for index, (match, indices) in enumerate(zip(worker.unique_matches, worker.unique_matches_indices_data)):
        film_cell, substrate_cell = np.asarray(match.film_sl_vectors), np.asarray(match.substrate_sl_vectors)
        record = {
            "film_miller": miller_label(indices["film_conventional_miller"]),
            "substrate_miller": miller_label(indices["substrate_conventional_miller"]),
            "film_miller_primitive": miller_label(indices["film_primitive_miller"]),
            "substrate_miller_primitive": miller_label(indices["substrate_primitive_miller"]),
            "area_A2": round(float(match.match_area), 3),
            "max_length_strain": round(float(np.abs(length_strains(film_cell, substrate_cell)).max()), 5),
            "angle_strain": round(angle_strain(film_cell, substrate_cell), 5),
            "von_mises_strain": round(float(match.von_mises_strain), 5),
        }
        matches.append(
            OrientationMatch(
                record,
                np.asarray(indices["film_conventional_vectors_float"], float),
                np.asarray(indices["substrate_conventional_vectors_float"], float),
                tuple(int(i) for i in indices["film_conventional_miller"]),
                tuple(int(i) for i in indices["substrate_conventional_miller"]),
                tuple(int(i) for i in indices["film_primitive_miller"]),
                tuple(int(i) for i in indices["substrate_primitive_miller"]),
                index,
            )
        )
    return sorted(matches, key=lambda m: (m.record["von_mises_strain"], m.record["area_A2"]))


def single_match_worker(
    worker, index: int, termination_ftol: float, film_thickness_A: float, substrate_thickness_A: float
):
    """A copy of ``worker`` holding only its unique match ``index``, with the termination pairs of
    two-interface cells enumerated (InterOptimus: pairs that give the same periodic cell, e.g. turned
    upside down, count once) for slabs of about the given thicknesses (Å, whole layers, at least
    one); atomic planes closer than ``termination_ftol`` of a layer's thickness count as one."""
    single = copy.copy(worker)
    single.unique_matches = [worker.unique_matches[index]]
    single.unique_matches_indices_data = [worker.unique_matches_indices_data[index]]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        single.parse_interface_structure_params(
            termination_ftol=termination_ftol,
            film_thickness=film_thickness_A,
            substrate_thickness=substrate_thickness_A,
            double_interface=True,
        )
    return single


def distinct_termination_pairs(worker, gap_A: float) -> list[tuple[int, object]]:
    """The termination pairs of a single-match ``worker`` (:func:`single_match_worker`) whose
    unshifted two-interface cells, ``gap_A`` (Å) apart, are distinct structures, as (pair index,
    pymatgen Interface).

    InterOptimus's enumeration can keep two pairs that give the same cell, e.g. the two halves of
    a layer related by a glide (ideal Li2ZrCl6 (001) on cubic ZrO2 (111): four pairs, two cells).
    Cells are compared with pymatgen's StructureMatcher at tight tolerances (ltol = stol = 0.001,
    angle 0.1°); two cells that are one structure have the same registrations and energies.
    """
    matcher = StructureMatcher(
        ltol=1e-3, stol=1e-3, angle_tol=0.1, primitive_cell=False, scale=False, attempt_supercell=False
    )
    distinct, structures = [], []
    for pair in range(len(worker.all_unique_terminations[0])):
        with contextlib.redirect_stdout(io.StringIO()):
            interface = worker.get_specified_interface(0, pair, [0.0, 0.0, gap_A])
        structure = Structure.from_sites(interface.sites)
        if not any(matcher.fit(structure, other) for other in structures):
            distinct.append((pair, interface))
            structures.append(structure)
    return distinct


def orientation_matches(
    film: Structure,
    substrate: Structure,
    film_miller,
    substrate_miller,
    max_area_A2: float,
    search_length_strain: float,
    max_angle_strain: float = MAX_ANGLE_STRAIN,
) -> list[OrientationMatch]:
    """Every InterOptimus match of the conventional cells ``film`` on ``substrate`` with the
    conventional indices ``film_miller`` / ``substrate_miller``: area below ``max_area_A2`` (Å²),
    largest length strain below ``search_length_strain`` and |angle strain| ≤ ``max_angle_strain``,
    lowest von Mises strain first."""
    depth = max(abs(int(i)) for i in (*film_miller, *substrate_miller))
    worker = lattice_matching(
        film,
        substrate,
        max_area_A2,
        search_length_strain,
        max_angle_strain,
        depth,
        [tuple(film_miller)],
        [tuple(substrate_miller)],
    )
    return worker_matches(worker)


def system_matches(film: Structure, substrate: Structure, spec: dict, settings: dict, lattice: dict) -> list:
    """Every match of one of the paper's systems (``spec``: ``lzc_miller``, ``zro2_miller``, ``lzc``,
    ``zro2``) of the LZC ``film`` on the ZrO2 ``substrate`` (pymatgen Structures), with their lattice
    constants set by ``lattice`` (bulk name -> {a, b, c}, Å; {} keeps them), under ``settings``
    (``study_b.interfaces``). Each record says whether it is within the limits: ``strain_measure``
    below ``max_strain``, area below ``max_area_A2`` (Å²)."""
    film = matching_cell(film, lattice.get(spec["lzc"]))
    substrate = matching_cell(substrate, lattice.get(spec["zro2"]))
    measure, limit, max_area = settings["strain_measure"], settings["max_strain"], settings["max_area_A2"]
    found = []
    for film_miller, substrate_miller in product(
        conventional_millers(spec["lzc_miller"], film, settings["miller_basis"]),
        conventional_millers(spec["zro2_miller"], substrate, settings["miller_basis"]),
    ):
        for match in orientation_matches(
            film, substrate, film_miller, substrate_miller, max_area, settings["search_length_strain"]
        ):
            match.record["within_limits"] = bool(match.record[measure] < limit and match.record["area_A2"] < max_area)
            found.append(match)
    return found


def best_match(matches: list[OrientationMatch], measure: str) -> OrientationMatch | None:
    """The match within the limits with the lowest ``measure``, then the smallest area; None if none is."""
    within = [m for m in matches if m.record["within_limits"]]
    return min(within, key=lambda m: (m.record[measure], m.record["area_A2"])) if within else None
