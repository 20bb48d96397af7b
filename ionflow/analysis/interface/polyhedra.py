"""Li coordination polyhedra: continuous symmetry measure (CSM) and volume (Figs. 5, S14).

CSM (Pinsky & Avnir): S = 100 · min Σ|Q_k − P_k|² / Σ|Q_k − Q₀|², minimised over the
translation, rotation, scale and vertex assignment of the perfect shape P against the
polyhedron Q (Q₀ its centroid); S = 0 for the perfect shape and S ≤ 100. As in ChemEnv's
default ``csm`` (pymatgen), the point set is the central atom plus the vertices, centred on
their common centroid, and the perfect shapes are ChemEnv's (``AllCoordinationGeometries``).

For centred Q and P the optimal scale gives S = 100 (1 − (max_R tr(R Qᵀ P))² / (|Q|² |P|²)),
and the best proper rotation R follows from the singular values of Qᵀ P (Kabsch), so each
vertex assignment costs one 3×3 SVD. Assignments that differ by a rotation of the perfect
shape onto itself give the same S, so only one per class is tried: 30 of the 720 for an
octahedron (720 / 24 proper rotations). The search over assignments is exhaustive, so S is
the global minimum (ChemEnv searches a subset for CN ≥ 6 and can only be equal or higher).
"""

from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import permutations

import numpy as np
from ase import Atoms
from scipy.spatial import ConvexHull, QhullError

from ionflow.analysis.interface.neighbours import coordination_polyhedra
from ionflow.analysis.interface.slab import distance_to_interface, interface_positions, slab_height
from ionflow.trajectory.frames import species_indices

MAX_CN_FOR_CSM = 8  # 8! vertex assignments; beyond, exhaustive search is too slow
PAIRS_PER_CHUNK = 200_000  # (polyhedron, assignment) pairs aligned at once: ~15 MB of 3×3 matrices


def _centred(points: np.ndarray) -> np.ndarray:
    return points - points.mean(axis=-2, keepdims=True)


def _best_overlap(distorted: np.ndarray, perfect: np.ndarray) -> np.ndarray:
    """max over proper rotations R of tr(R Qᵀ P) for every pair of centred point sets.

    ``distorted`` (…, m, 3) and ``perfect`` (…, m, 3) broadcast against each other.
    """
    h = np.swapaxes(distorted, -1, -2) @ perfect
    singular = np.linalg.svd(h, compute_uv=False)
    return singular[..., 0] + singular[..., 1] + np.sign(np.linalg.det(h)) * singular[..., 2]


@lru_cache(maxsize=1)
def _chemenv_geometries():
    """ChemEnv's catalogue of perfect shapes, imported on first use (the import takes ~2 s)."""
    from pymatgen.analysis.chemenv.coordination_environments.coordination_geometries import (
        AllCoordinationGeometries,
    )

    return AllCoordinationGeometries()


@lru_cache(maxsize=None)
def _reference(shape: str) -> tuple[np.ndarray, np.ndarray]:
    """Centred perfect points (central site first) of ChemEnv ``shape`` and one vertex
    assignment (rows of point indices, centre fixed at 0) per class of equivalent ones."""
    geometry = _chemenv_geometries().get_geometry_from_mp_symbol(shape)
    points = _centred(np.vstack([geometry.get_central_site(), np.asarray(geometry.points, dtype=float)]))
    cn = len(points) - 1
    if cn > MAX_CN_FOR_CSM:
        raise ValueError(
            f"shape {shape} has CN {cn} > {MAX_CN_FOR_CSM}; exhaustive CSM is limited to CN ≤ {MAX_CN_FOR_CSM}"
        )
    orders = np.array([(0, *(1 + np.array(p))) for p in permutations(range(cn))])
    # A relabelling is a symmetry when a rotation maps the perfect shape onto itself relabelled.
    overlap = _best_overlap(points[orders], points)
    symmetries = orders[np.isclose(overlap, np.sum(points**2), rtol=0.0, atol=1e-8)]
    # Assignments σ and g∘σ (g a symmetry) are equivalent: keep the one with the smallest code.
    weights = (cn + 1) ** np.arange(cn + 1)[::-1]
    own = orders @ weights
    smallest = own.copy()
    for symmetry in symmetries:
        np.minimum(smallest, symmetry[orders] @ weights, out=smallest)
    return points, orders[own == smallest]


def reference_shapes(cn: int) -> list[str]:
    """ChemEnv symbols of the perfect shapes with ``cn`` vertices (e.g. 6 → O:6, T:6, PP:6)."""
    return [geometry.mp_symbol for geometry in _chemenv_geometries().get_implemented_geometries(coordination=cn)]


def symmetry_measures(vertices: np.ndarray, centers: np.ndarray, shape: str) -> np.ndarray:
    """CSM (0 … 100) of polyhedra against ChemEnv's perfect ``shape`` (e.g. "O:6", "S:5", "T:4").

    ``vertices`` (n, CN, 3) Å in any order, ``centers`` (n, 3) Å: the central atoms.
    Returns (n,) CSM values.
    """
    points, orders = _reference(shape)
    vertices, centers = np.asarray(vertices, dtype=float), np.asarray(centers, dtype=float)
    if vertices.shape[1] != len(points) - 1:
        raise ValueError(f"shape {shape} has {len(points) - 1} vertices, got polyhedra with {vertices.shape[1]}")
    distorted = _centred(np.concatenate([centers[:, None, :], vertices], axis=1))
    perfect = points[orders][None]
    size = max(1, PAIRS_PER_CHUNK // len(orders))
    overlap = np.concatenate(
        [np.empty(0)]
        + [_best_overlap(distorted[i : i + size, None], perfect).max(axis=1) for i in range(0, len(distorted), size)]
    )
    norms = np.sum(distorted**2, axis=(1, 2)) * np.sum(points**2)
    return np.clip(100.0 * (1.0 - overlap**2 / norms), 0.0, 100.0)


def octahedral_csm(vertices: np.ndarray, center: np.ndarray) -> float:
    """CSM (0 … 100) of one six-vertex polyhedron (6, 3) Å around ``center`` (3,) Å against
    the perfect octahedron (ChemEnv O:6)."""
    return float(symmetry_measures(np.asarray(vertices)[None], np.asarray(center)[None], "O:6")[0])


def polyhedron_volume(vertices: np.ndarray) -> float:
    """Volume (Å³) of the convex hull of ``vertices`` (n, 3) Å; 0 for fewer than 4 or coplanar points."""
    if len(vertices) < 4:
        return 0.0
    try:
        return float(ConvexHull(vertices).volume)
    except QhullError:
        return 0.0


def li_polyhedra(
    frames: Iterable[Atoms],
    cutoff_A: float = 3.5,
    interface_width_A: float | None = 8.0,
    center: str = "Li",
    neighbours: Sequence[str] = ("O", "Cl"),
) -> dict[str, np.ndarray]:
    """Coordination polyhedron of every Li in each frame given (paper 2: the final frame at 400 K).

    Vertices are the ``neighbours`` atoms (oxide anion, halide anion) within ``cutoff_A`` (Å). Each Li gets its best
    ChemEnv shape for its CN (lowest CSM among ``reference_shapes(cn)``; none for CN 0 and
    CN > 8), that CSM, the hull volume and its signed distance to the nearest interface
    (``interface_positions`` of the same frame); Li within ``interface_width_A`` (Å) of an
    interface are interface Li, the rest bulk-like. ``interface_width_A=None`` is for bulk
    frames (Fig. S14a-b): no interface is sought, distance_A is NaN and every Li is bulk-like.

    Returns a table as a dict of equal-length arrays: frame, index (atom index), z_A,
    distance_A (positive on the halide side), interface (bool), cn, shape (ChemEnv symbol,
    "" when none), csm (NaN when no shape), volume_A3, mean_bond_A (mean Li–vertex distance,
    NaN for CN 0).
    """
    columns = {
        key: [] for key in ("frame", "index", "z_A", "distance_A", "cn", "shape", "csm", "volume_A3", "mean_bond_A")
    }
    for frame, atoms in enumerate(frames):
        centers = species_indices(atoms, center)
        wrapped, vertices = coordination_polyhedra(atoms, centers, center, neighbours, cutoff_A)
        cn = np.array([len(v) for v in vertices])
        shape = np.full(len(centers), "", dtype=object)
        csm = np.full(len(centers), np.nan)
        for value in np.unique(cn[(cn > 0) & (cn <= MAX_CN_FOR_CSM)]):
            members = np.flatnonzero(cn == value)
            stacked = np.stack([vertices[i] for i in members])
            shapes = reference_shapes(int(value))
            measures = np.stack([symmetry_measures(stacked, wrapped[members], s) for s in shapes])
            shape[members] = np.asarray(shapes, dtype=object)[measures.argmin(axis=0)]
            csm[members] = measures.min(axis=0)
        if interface_width_A is None:
            distance = np.full(len(centers), np.nan)
        else:
            interfaces = interface_positions(atoms, *neighbours)
            distance = distance_to_interface(wrapped[:, 2], interfaces, slab_height(np.asarray(atoms.cell)))
        columns["frame"].append(np.full(len(centers), frame))
        columns["index"].append(centers)
        columns["z_A"].append(wrapped[:, 2])
        columns["distance_A"].append(distance)
        columns["cn"].append(cn)
        columns["shape"].append(shape.astype(str))
        columns["csm"].append(csm)
        columns["volume_A3"].append(np.array([polyhedron_volume(v) for v in vertices]))
        columns["mean_bond_A"].append(
            np.array([np.linalg.norm(v - c, axis=1).mean() if len(v) else np.nan for c, v in zip(wrapped, vertices)])
        )
    if not columns["frame"]:
        raise ValueError("li_polyhedra got no frames; check the trajectory path and frame selection")
    table = {key: np.concatenate(values) for key, values in columns.items()}
    bulk = interface_width_A is None
    table["interface"] = np.zeros(len(table["cn"]), bool) if bulk else np.abs(table["distance_A"]) < interface_width_A
    return table
