"""Slab geometry along the interface normal z: period, bins, interface positions, distances.

The cell must have a and b in the xy plane, so that z is the interface normal and c_z is
the period along z (c itself may be tilted). z bins are fixed fractions of c_z, so that NPT
frames with slightly different c_z fall in the same bins; bin centres are reported in Å
for the mean c_z.
"""

import numpy as np
from ase import Atoms


def slab_height(cell: np.ndarray) -> float:
    """Period of the cell along z, c_z (Å); error unless a and b lie in the xy plane."""
    cell = np.asarray(cell, dtype=float)
    if abs(cell[0, 2]) > 1e-6 or abs(cell[1, 2]) > 1e-6 or cell[2, 2] <= 0.0:
        raise ValueError(
            f"cell {cell.round(4).tolist()} does not have a and b in the xy plane with c_z > 0; "
            "the interface analyses need the interface normal along z: rotate the slab so that it has"
        )
    return float(cell[2, 2])


def z_bin_count(height_A: float, bin_A: float) -> int:
    """Number of z bins of about ``bin_A`` (Å) that tile the period ``height_A`` (Å)."""
    return max(1, int(round(height_A / bin_A)))


def z_bin_index(z_A: np.ndarray, height_A: float, n_bins: int) -> np.ndarray:
    """Bin (0 … n_bins − 1) of each z (Å) after wrapping into [0, height_A)."""
    fraction = np.mod(np.asarray(z_A) / height_A, 1.0)
    return np.minimum((fraction * n_bins).astype(int), n_bins - 1)


def z_bin_centres(mean_height_A: float, n_bins: int) -> np.ndarray:
    """Centres (Å) of ``n_bins`` equal z bins over the mean period ``mean_height_A``."""
    return (np.arange(n_bins) + 0.5) * mean_height_A / n_bins


def _circular_mean(z_A: np.ndarray, height_A: float) -> float:
    """Mean of periodic coordinates (Å) in [0, height_A): the centre of a slab that may wrap."""
    angle = 2.0 * np.pi * z_A / height_A
    return float(np.mod(np.arctan2(np.sin(angle).mean(), np.cos(angle).mean()) * height_A / (2.0 * np.pi), height_A))


def _best_separating_plane(first: np.ndarray, second: np.ndarray, length: float) -> float:
    """Plane s* in [0, length] with the fewest ``first`` atoms above it plus ``second`` atoms below.

    ``first`` and ``second`` are coordinates (Å) along the interval. Planes in one gap between
    consecutive atoms are equally good; of the best gaps the widest wins (a stray atom opens
    narrow gaps, the interface a wide one) and its midpoint is returned.
    """
    s = np.concatenate([first, second])
    is_first = np.concatenate([np.ones(first.size, bool), np.zeros(second.size, bool)])
    order = np.argsort(s, kind="stable")
    s, is_first = s[order], is_first[order]
    second_below = np.concatenate([[0], np.cumsum(~is_first)])
    first_above = first.size - np.concatenate([[0], np.cumsum(is_first)])
    misplaced = second_below + first_above
    edges = np.concatenate([[0.0], s, [length]])
    best = np.flatnonzero(misplaced == misplaced.min())
    widest = best[np.argmax(edges[best + 1] - edges[best])]
    return 0.5 * (edges[widest] + edges[widest + 1])


def interface_positions(atoms: Atoms, oxide_anion: str = "O", halide_anion: str = "Cl") -> np.ndarray:
    """z (Å, in [0, c_z)) of the two oxide|halide interfaces of a periodic slab cell.

    Returned in this order: the interface with the oxide below and the halide above it
    (going up in z), then the one with the halide below and the oxide above.

    Each interface is the plane that best separates the two anion sublattices: between the
    centre of the oxide slab and the centre of the halide slab (circular means of the O and
    Cl z), the plane with the fewest O on the halide side plus Cl on the oxide side. For an
    unmixed interface every plane in the gap between the outermost O layer and the nearest
    Cl layer separates perfectly, and the midpoint of that gap is returned: the interface is
    the midpoint between the outermost O layer and the nearest Cl layer. A few anions that
    crossed over do not move it (see ``_best_separating_plane``).
    """
    height = slab_height(np.asarray(atoms.cell))
    symbols = np.asarray(atoms.get_chemical_symbols())
    z = np.mod(atoms.positions[:, 2], height)
    oxide, halide = z[symbols == oxide_anion], z[symbols == halide_anion]
    if oxide.size == 0 or halide.size == 0:
        raise ValueError(
            f"frame has {oxide.size} {oxide_anion} and {halide.size} {halide_anion} atoms; interface_positions "
            "needs both slabs (pass the anion symbols of the oxide and the halide)"
        )
    oxide_centre, halide_centre = _circular_mean(oxide, height), _circular_mean(halide, height)
    upward = np.mod(halide_centre - oxide_centre, height)
    downward = height - upward

    def within(values, origin, length):
        shifted = np.mod(values - origin, height)
        return shifted[shifted <= length]

    first = oxide_centre + _best_separating_plane(
        within(oxide, oxide_centre, upward), within(halide, oxide_centre, upward), upward
    )
    second = halide_centre + _best_separating_plane(
        within(halide, halide_centre, downward), within(oxide, halide_centre, downward), downward
    )
    return np.mod(np.array([first, second]), height)


def distance_to_interface(z_A: np.ndarray, interfaces_A: np.ndarray, height_A: float) -> np.ndarray:
    """Signed distance (Å) from each z (Å) to the nearest interface, positive on the halide side.

    ``interfaces_A`` is the pair from ``interface_positions`` (oxide below the first, above
    the second); distances use the z period ``height_A``. Take ``abs`` for the unsigned distance.
    """
    z_A = np.asarray(z_A, dtype=float)
    half = 0.5 * height_A
    above_first = np.mod(z_A - interfaces_A[0] + half, height_A) - half
    below_second = np.mod(interfaces_A[1] - z_A + half, height_A) - half
    return np.where(np.abs(above_first) <= np.abs(below_second), above_first, below_second)
