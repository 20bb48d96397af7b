"""Two-interface cells for MD as ASE Atoms: InterOptimus's cells converted, sized in plane.

A cell holds the substrate slab at the bottom and the film slab (strained onto the substrate's
in-plane cell) on top, with a gap between them and the same gap between the film's top and the
periodic image of the substrate's bottom: two interfaces, no vacuum, c normal to the interface.
Tags: 1 substrate, 2 film. Lengths in Å.
"""

from __future__ import annotations

import numpy as np
from ase import Atoms

SUBSTRATE_TAG, FILM_TAG = 1, 2


def interface_atoms(interface, gap_A: float) -> Atoms:
    """An InterOptimus two-interface cell (pymatgen Interface, substrate at the bottom, ``gap_A``
    at both interfaces) as ASE Atoms tagged 1 substrate, 2 film, moved up by half a gap so that
    wrapping keeps each slab whole."""
    tags = np.full(len(interface), SUBSTRATE_TAG)
    tags[list(interface.film_indices)] = FILM_TAG
    symbols = [site.specie.symbol for site in interface]
    atoms = Atoms(symbols, positions=interface.cart_coords, cell=interface.lattice.matrix, pbc=True, tags=tags)
    atoms.translate([0.0, 0.0, gap_A / 2 - atoms.positions[tags == SUBSTRATE_TAG, 2].min()])
    atoms.wrap()
    return atoms


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
