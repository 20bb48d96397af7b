"""Build a screened candidate of the training pool into a periodic two-interface cell (ASE Atoms).

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
from pymatgen.analysis.structure_matcher import StructureMatcher
from pymatgen.core.interface import Interface
from pymatgen.core.surface import Slab
from pymatgen.io.ase import AseAtomsAdaptor

from ionflow.structures.interfaces.screening import InterfaceCandidate, orientation_key
from ionflow.structures.interfaces.surfaces import slab

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
