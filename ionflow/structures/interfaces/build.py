"""Build a screened candidate into a periodic two-interface cell for MD (ASE Atoms).

The substrate slab sits at the bottom, the film slab (strained onto the substrate's in-plane
cell, turned face down) on top, ``gap_A`` between them and ``gap_A`` again between the film's
top and the periodic image of the substrate's bottom: two interfaces, no vacuum, c normal to
the interface. Tags: 1 substrate, 2 film. Lengths in Å.
"""

from __future__ import annotations

import numpy as np
from ase import Atoms
from ase.neighborlist import neighbor_list
from pymatgen.analysis.interfaces.coherent_interfaces import from_2d_to_3d, get_2d_transform
from pymatgen.analysis.interfaces.zsl import ZSLMatch
from pymatgen.analysis.structure_matcher import StructureMatcher
from pymatgen.core import Structure
from pymatgen.core.interface import Interface
from pymatgen.core.surface import Slab
from pymatgen.io.ase import AseAtomsAdaptor

from ionflow.structures.interfaces.interoptimus import OrientationMatch, best_match, system_matches
from ionflow.structures.interfaces.screening import InterfaceCandidate, orientation_key, supercell_multiple
from ionflow.structures.interfaces.surfaces import slab, standard_cell, surface_cell, terminations

SUBSTRATE_TAG, FILM_TAG = 1, 2


def in_plane_supercell(surface_slab: Slab, vectors: np.ndarray) -> Slab:
    """``surface_slab`` repeated in plane so that its a, b are ``vectors`` (Å, 2×3)."""
    transform = np.round(from_2d_to_3d(get_2d_transform(surface_slab.lattice.matrix[:2], vectors))).astype(int)
    supercell = surface_slab.copy()
    supercell.make_supercell(transform)
    if not np.allclose(supercell.lattice.matrix[:2], vectors, atol=1e-6):
        raise ValueError(
            f"slab {surface_slab.miller_index} of {surface_slab.composition.reduced_formula}: the "
            "matched supercell is not a lattice supercell of this slab; rebuild the candidate with "
            "screen_interfaces from the same structure"
        )
    return supercell


def build_interface(
    candidate: InterfaceCandidate,
    film_thickness_A: float,
    substrate_thickness_A: float,
    gap_A: float,
    in_plane_repeat: tuple[int, int] = (1, 1),
    in_plane_offset: tuple[float, float] = (0.0, 0.0),
) -> Atoms:
    """Periodic film/substrate cell of ``candidate`` (two interfaces, each ``gap_A`` wide).

    Each slab holds whole oriented unit cells, at least its thickness (Å), so it is
    stoichiometric. ``in_plane_offset`` slides the film against the substrate (fractions of the
    matched cell's a and b): the registry, which lattice matching leaves open and which
    :func:`ionflow.structures.interfaces.energy.relax_and_rank` can compare. ``in_plane_repeat`` repeats
    the matched cell along a and b. ``info`` holds the candidate's screening record with this
    cell's atom counts, the film and substrate formulas, thicknesses, gap, offset and repeat.
    """
    film_slab = in_plane_supercell(
        slab(candidate.film, candidate.film_miller, candidate.film_shift, film_thickness_A),
        candidate.match.film_sl_vectors,
    )
    substrate_slab = in_plane_supercell(
        slab(candidate.substrate, candidate.substrate_miller, candidate.substrate_shift, substrate_thickness_A),
        candidate.match.substrate_sl_vectors,
    )
    interface = Interface.from_slabs(substrate_slab, film_slab, gap=gap_A, vacuum_over_film=gap_A)
    interface.in_plane_offset = in_plane_offset
    interface.make_supercell([in_plane_repeat[0], in_plane_repeat[1], 1])
    tags = [FILM_TAG if label == "film" else SUBSTRATE_TAG for label in interface.site_properties["interface_label"]]
    interface.remove_site_property("interface_label")
    atoms = AseAtomsAdaptor.get_atoms(interface)
    atoms.set_tags(tags)
    # Half a gap below the substrate and above the film: wrapping keeps each slab whole.
    atoms.translate([0.0, 0.0, gap_A / 2 - atoms.positions[atoms.get_tags() == SUBSTRATE_TAG, 2].min()])
    atoms.wrap()
    film_formula, substrate_formula = interface_formulas(atoms)
    record = candidate.record()
    del record["thickness_A"]  # the screening's reference thickness, not this cell's
    atoms.info.update(
        record,
        film_atoms=int(np.sum(atoms.get_tags() == FILM_TAG)),
        substrate_atoms=int(np.sum(atoms.get_tags() == SUBSTRATE_TAG)),
        film_formula=film_formula,
        substrate_formula=substrate_formula,
        film_thickness_A=film_thickness_A,
        substrate_thickness_A=substrate_thickness_A,
        gap_A=gap_A,
        in_plane_offset=list(in_plane_offset),
        in_plane_repeat=list(in_plane_repeat),
    )
    return atoms


def distinct_interfaces(interfaces: list[Atoms], cutoff_A: float = 3.5) -> list[Atoms]:
    """Built cells that are distinct structures, first of each kept.

    Two termination pairs of one orientation relationship can give the same periodic cell: a
    cell holds both interfaces, so turning it upside down swaps the roles of the slabs' top and
    bottom faces. Such cells (same orientation, formula and height, the same sorted distances
    up to ``cutoff_A`` (Å), and matching structures at tight StructureMatcher tolerances,
    ltol = stol = 0.001) are dropped.
    """
    matcher = StructureMatcher(
        ltol=1e-3, stol=1e-3, angle_tol=0.1, primitive_cell=False, scale=False, attempt_supercell=False
    )
    kept: dict[tuple, list] = {}
    distinct = []
    for atoms in interfaces:
        key = (orientation_key(atoms.info), atoms.get_chemical_formula(), round(atoms.cell.cellpar()[2], 3))
        distances = np.sort(neighbor_list("d", atoms, cutoff_A))
        structure = AseAtomsAdaptor.get_structure(atoms)
        if not any(
            len(d) == len(distances) and np.allclose(d, distances, atol=1e-4) and matcher.fit(structure, s)
            for d, s in kept.get(key, [])
        ):
            kept.setdefault(key, []).append((distances, structure))
            distinct.append(atoms)
    return distinct


def interface_formulas(atoms: Atoms) -> tuple[str, str]:
    """Film and substrate formulas of a built interface, metals first (e.g. 'Li1568Zr784Cl4704')."""
    tags = atoms.get_tags()
    return (
        atoms[tags == FILM_TAG].get_chemical_formula(mode="metal"),
        atoms[tags == SUBSTRATE_TAG].get_chemical_formula(mode="metal"),
    )


def in_plane_repeat_for_atoms(atoms: Atoms, target_atoms: int, max_aspect: float = 1.5) -> tuple[int, int]:
    """In-plane repeat (na, nb) of ``atoms`` whose atom count is closest to ``target_atoms``
    among repeats with in-plane aspect ratio max(na·|a|, nb·|b|) / min(...) ≤ ``max_aspect``;
    ties go to the squarer cell. ~10⁴ atoms for production MD, a few hundred for quick tests."""
    lengths = np.linalg.norm(atoms.cell[:2], axis=1)
    largest = int(np.ceil(np.sqrt(2 * target_atoms / len(atoms)) * max(lengths) / min(lengths))) + 1
    options = []
    for na in range(1, largest + 1):
        for nb in range(1, largest + 1):
            aspect = max(na * lengths[0], nb * lengths[1]) / min(na * lengths[0], nb * lengths[1])
            if aspect <= max_aspect:
                options.append((abs(na * nb * len(atoms) - target_atoms), aspect, (na, nb)))
    if not options:
        raise ValueError(f"no in-plane repeat up to {largest} has aspect ratio <= {max_aspect}; raise max_aspect")
    return min(options)[2]


def matched_candidate(
    match: OrientationMatch,
    film: Structure,
    substrate: Structure,
    film_name: str,
    substrate_name: str,
    thickness_A: float = 10.0,
    termination_ftol_A: float = 0.25,
) -> InterfaceCandidate:
    """``match`` (InterOptimus, found on cells of any lattice constants) laid on the cells of
    ``film`` and ``substrate``: the same supercells, as integer combinations of their surface
    cells, with their strain on these cells, and the first termination of each surface.

    Slabs are cut from pymatgen's primitive cells of the standard cells with the primitive-basis
    Miller indices, as InterOptimus matches them: a high-index plane of a centred lattice cut from
    the conventional cell gets an in-plane cell several times too large (fluorite (-5 1 1): 5x),
    which the matched supercell need not be a multiple of.
    """
    conventional = standard_cell(film), standard_cell(substrate)
    film, substrate = (cell.get_primitive_structure() for cell in conventional)
    film_miller, substrate_miller = match.film_miller_primitive, match.substrate_miller_primitive
    film_unit, substrate_unit = surface_cell(film, film_miller)[0], surface_cell(substrate, substrate_miller)[0]
    film_cell = match.film_vectors @ conventional[0].lattice.matrix
    substrate_cell = match.substrate_vectors @ conventional[1].lattice.matrix
    transforms = []
    for unit, cell, name in ((film_unit, film_cell, film_name), (substrate_unit, substrate_cell, substrate_name)):
        transform = np.linalg.lstsq(unit.T, cell.T, rcond=None)[0].T
        if not np.allclose(transform, np.round(transform), atol=1e-4):
            raise ValueError(f"{name}: the matched supercell is not a lattice supercell of its surface cell")
        transforms.append(np.round(transform).astype(int))
    zsl = ZSLMatch(film_cell, substrate_cell, film_unit, substrate_unit, transforms[0], transforms[1])
    (film_label, film_shift), (substrate_label, substrate_shift) = (
        terminations(structure, miller, termination_ftol_A)[0]
        for structure, miller in ((film, film_miller), (substrate, substrate_miller))
    )
    film_atoms = len(slab(film, film_miller, film_shift, thickness_A)) * supercell_multiple(film_cell, film_unit)
    substrate_atoms = len(slab(substrate, substrate_miller, substrate_shift, thickness_A)) * supercell_multiple(
        substrate_cell, substrate_unit
    )
    names = {"film_name": film_name, "substrate_name": substrate_name, "film": film, "substrate": substrate}
    millers = {"film_miller": film_miller, "substrate_miller": substrate_miller, "match": zsl, "orientation": 1}
    cuts = {"film_termination": film_label, "substrate_termination": substrate_label}
    cuts |= {"film_shift": film_shift, "substrate_shift": substrate_shift, "thickness_A": thickness_A}
    return InterfaceCandidate(**names, **millers, **cuts, film_atoms=film_atoms, substrate_atoms=substrate_atoms)


def production_interface(lzc, zro2, spec: dict, settings: dict) -> tuple[Atoms, InterfaceCandidate, tuple[int, int]]:
    """The production interface of one of the paper's pairs: the LZC film (pymatgen Structure)
    strained onto the ZrO2 substrate, InterOptimus's best match of ``spec``'s orientation (``zro2``,
    ``lzc``, ``zro2_miller``, ``lzc_miller``) within ``settings``' limits on the first lattice that
    has one (the relaxed cells, then ``settings["lattices"]`` in order), laid on the relaxed cells,
    built with its slab thicknesses and gap (Å) and repeated in plane towards ``target_atoms``.
    Returns (atoms, candidate, in-plane repeat); ``atoms.info`` names the matching lattice and its
    strains, the candidate's record the strains on the relaxed cells. No match is an error
    naming the limits and the fix."""
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
    candidate = matched_candidate(match, lzc, zro2, spec["lzc"], spec["zro2"])
    layers = (settings["lzc_thickness_A"], settings["zro2_thickness_A"], settings["gap_A"])
    repeat = in_plane_repeat_for_atoms(build_interface(candidate, *layers), settings["target_atoms"])
    atoms = build_interface(candidate, *layers, in_plane_repeat=repeat)
    atoms.info.update({f"matching_{key}": value for key, value in match.record.items()}, matching_lattice=lattice)
    return atoms, candidate, repeat
