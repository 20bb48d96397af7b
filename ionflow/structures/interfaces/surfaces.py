"""Surfaces of a bulk crystal: standard setting, slab generator, terminations, atoms per slab.

Every surface in this package comes from one :func:`slab_generator` call, so the in-plane
vectors used for lattice matching, the terminations and the slabs built into interfaces are
the same lattice (pymatgen's ``CoherentInterfaceBuilder`` settings: primitive in-plane cell,
lattice not reoriented, i.e. vectors stay in the bulk Cartesian frame). Lengths in Å.
"""

from __future__ import annotations

import numpy as np
from pymatgen.core import Structure
from pymatgen.core.interface import label_termination
from pymatgen.core.surface import Slab, SlabGenerator
from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

# One oriented unit cell along the normal: every cut plane of the surface is present.
ONE_REPEAT_A = 1e-3


def standard_cell(structure: Structure, symprec: float = 0.1) -> Structure:
    """Symmetrised conventional cell in the ITA standard setting (spglib; monoclinic b-unique).

    Miller indices in this package refer to this cell, as Materials Project conventional cells
    do; ``symprec`` (Å) is loose enough for cells relaxed without symmetry constraints.
    """
    return SpacegroupAnalyzer(structure, symprec=symprec).get_refined_structure()


def slab_generator(structure: Structure, miller: tuple[int, int, int], thickness_A: float) -> SlabGenerator:
    """Slabs of at least ``thickness_A`` (Å, whole oriented unit cells) parallel to ``miller``."""
    return SlabGenerator(
        structure,
        miller,
        min_slab_size=thickness_A,
        min_vacuum_size=3.0,
        in_unit_planes=False,
        center_slab=True,
        primitive=True,
        reorient_lattice=False,
    )


def outward_normal(lattice: np.ndarray) -> np.ndarray:
    """Unit normal to a slab cell's a, b that points along its c (out of the top face)."""
    normal = np.cross(lattice[0], lattice[1])
    return normal * np.sign(normal @ lattice[2]) / np.linalg.norm(normal)


def surface_cell(structure: Structure, miller: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """In-plane vectors (Å, 2×3) of the primitive surface cell and the unit outward normal of
    the face that :func:`slab` puts on top, whatever the handedness of the two vectors."""
    lattice = slab_generator(structure, miller, ONE_REPEAT_A).get_slab(shift=0).lattice.matrix
    return lattice[:2], outward_normal(lattice)


def terminations(
    structure: Structure, miller: tuple[int, int, int], ftol_A: float, tol_A: float = 0.01
) -> list[tuple[str, float]]:
    """Symmetry-distinct terminations of a surface as (label, shift) pairs.

    Atomic planes closer than ``ftol_A`` (Å) along the normal count as one plane and every cut
    between planes is a termination. Two cuts are the same when a space-group operation that
    keeps the surface normal moves one onto the other; its rotation leaves heights along the
    normal unchanged, so the cut heights differ by the normal part of its translation, modulo
    the interplanar spacing d_hkl (lattice translations), within ``tol_A`` (Å). Operations that
    turn the slab over do not count: in the two-interface cell the top and bottom faces of a
    slab meet different faces of the other crystal. The label is
    ``index_formula_planegroup_natoms`` of the top plane.
    """
    generator = slab_generator(structure, miller, ONE_REPEAT_A)
    cell = generator.oriented_unit_cell.lattice.matrix
    normal = outward_normal(cell)
    spacing = structure.lattice.d_hkl(np.asarray(miller) // np.gcd.reduce(miller))
    offsets = np.array(
        [
            normal @ op.translation_vector
            for op in SpacegroupAnalyzer(structure).get_symmetry_operations(cartesian=True)
            if np.allclose(op.rotation_matrix @ normal, normal, atol=1e-3)
        ]
    )
    found: list[tuple[str, float]] = []
    for cut in generator.get_slabs(ftol=ftol_A, filter_out_sym_slabs=False):
        residues = [((cut.shift - kept) * (normal @ cell[2]) - offsets) / spacing for _, kept in found]
        if not any(np.any(np.abs(r - np.round(r)) * spacing < tol_A) for r in residues):
            found.append((f"{len(found) + 1}_{label_termination(cut, ftol_A)}", cut.shift))
    return found


def slab(structure: Structure, miller: tuple[int, int, int], shift: float, thickness_A: float) -> Slab:
    """Stoichiometric slab with termination ``shift`` and at least ``thickness_A`` (Å) of material."""
    return slab_generator(structure, miller, thickness_A).get_slab(shift=shift)
