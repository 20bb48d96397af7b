"""What a CSM value and a polyhedron volume mean (paper 2, Fig. S13, read with Figs. 5 and S14).

Perfect LiX_n polyhedra with every vertex at ``radius_A`` from Li, distorted along three
paths whose octahedral CSM (``polyhedra.symmetry_measures``, ChemEnv's O:6, central atom
included) is drawn in Fig. S13: axial elongation of one trans pair, the Bailar twist of the
octahedron (trigonal antiprism, twist 60°) into the trigonal prism (0°), and random
displacements of every atom. Their hull volumes give the volume bands of Fig. S14:
LiCl6 octahedra 20–25 Å³, LiCl5 square pyramids 10–13 Å³, LiCl4 tetrahedra 5–8 Å³ (paper 2).
"""

import numpy as np

from ionflow.analysis.interface.polyhedra import polyhedron_volume, symmetry_measures

LI_CL_A = 2.57  # Li–Cl distance of the LiCl6 octahedra (Å); CSM does not depend on it
PAPER_VOLUME_BANDS_A3 = {"O:6": (20.0, 25.0), "S:5": (10.0, 13.0), "T:4": (5.0, 8.0)}  # paper 2, Fig. S14
SHAPE_NAMES = {"O:6": "octahedron (CN 6)", "S:5": "square pyramid (CN 5)", "T:4": "tetrahedron (CN 4)"}


def octahedron(radius_A: float = LI_CL_A) -> np.ndarray:
    """Vertices (6, 3) Å of the octahedron with vertices at ``radius_A`` on ±x, ±y, ±z."""
    return radius_A * np.vstack([np.eye(3), -np.eye(3)])


def reference_polyhedron(shape: str, radius_A: float = LI_CL_A) -> np.ndarray:
    """Vertices (CN, 3) Å of the perfect O:6, S:5 (the octahedron without −z) or T:4 around the origin,
    every vertex at ``radius_A``."""
    if shape == "O:6":
        return octahedron(radius_A)
    if shape == "S:5":
        return octahedron(radius_A)[:5]
    if shape == "T:4":
        return radius_A * np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]]) / np.sqrt(3.0)
    raise ValueError(f"unknown reference shape {shape!r}; use one of {sorted(SHAPE_NAMES)}")


def reference_volumes(radii_A: np.ndarray) -> dict[str, np.ndarray]:
    """Hull volume (Å³) of each perfect shape of ``SHAPE_NAMES`` at every vertex distance in ``radii_A`` (Å)."""
    return {
        shape: np.array([polyhedron_volume(reference_polyhedron(shape, r)) for r in radii_A]) for shape in SHAPE_NAMES
    }


def _octahedral_csm(vertices: np.ndarray) -> np.ndarray:
    """O:6 CSM of polyhedra (n, 6, 3) Å centred on the origin."""
    vertices = np.asarray(vertices, dtype=float)
    return symmetry_measures(vertices, np.zeros((len(vertices), 3)), "O:6")


def csm_elongation(factors: np.ndarray, radius_A: float = LI_CL_A) -> np.ndarray:
    """O:6 CSM of the octahedron whose ±z vertices sit at ``factor · radius_A`` (factor 1: perfect)."""
    stretched = np.stack([octahedron(radius_A) * [1.0, 1.0, f] for f in factors])
    return _octahedral_csm(stretched)


def csm_twist(angles_deg: np.ndarray, radius_A: float = LI_CL_A) -> np.ndarray:
    """O:6 CSM along the Bailar twist: two triangles at z = ±r/√3 of circumradius r√(2/3), the top one
    turned by ``angle`` (60°: octahedron, 0°: trigonal prism), every vertex at ``radius_A``."""
    circumradius, height = radius_A * np.sqrt(2.0 / 3.0), radius_A / np.sqrt(3.0)
    corners = 2.0 * np.pi * np.arange(3) / 3.0
    polyhedra = []
    for angle in np.radians(angles_deg):
        top = np.c_[circumradius * np.cos(corners + angle), circumradius * np.sin(corners + angle), np.full(3, height)]
        bottom = np.c_[circumradius * np.cos(corners), circumradius * np.sin(corners), np.full(3, -height)]
        polyhedra.append(np.vstack([top, bottom]))
    return _octahedral_csm(np.stack(polyhedra))


def csm_random_displacements(
    sigmas_A: np.ndarray, samples: int = 200, radius_A: float = LI_CL_A, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of the O:6 CSM over ``samples`` octahedra whose six vertices and
    centre are each displaced by a Gaussian of standard deviation ``sigma`` (Å) per Cartesian axis."""
    rng = np.random.default_rng(seed)
    means, spreads = [], []
    for sigma in sigmas_A:
        points = octahedron(radius_A) + rng.normal(0.0, sigma, (samples, 6, 3))
        centres = rng.normal(0.0, sigma, (samples, 3))
        csm = symmetry_measures(points, centres, "O:6")
        means.append(csm.mean())
        spreads.append(csm.std())
    return np.array(means), np.array(spreads)


def csm_reference_curves(radius_A: float = LI_CL_A) -> dict[str, dict[str, np.ndarray]]:
    """The curves of Fig. S13: ``elongation`` (factor, csm), ``twist`` (angle_deg, csm), ``random``
    (sigma_A, csm, csm_std) and ``volume`` (radius_A and one volume_A3 column per shape)."""
    factors, angles, sigmas = np.linspace(1.0, 2.0, 41), np.linspace(60.0, 0.0, 61), np.linspace(0.0, 0.5, 26)
    mean, spread = csm_random_displacements(sigmas, radius_A=radius_A)
    radii = np.linspace(2.2, 2.9, 36)
    return {
        "elongation": {"factor": factors, "csm": csm_elongation(factors, radius_A)},
        "twist": {"angle_deg": angles, "csm": csm_twist(angles, radius_A)},
        "random": {"sigma_A": sigmas, "csm": mean, "csm_std": spread},
        "volume": {"radius_A": radii, **reference_volumes(radii)},
    }
