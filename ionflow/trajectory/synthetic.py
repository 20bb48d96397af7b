"""Synthetic trajectories with known transport, and a LAMMPS dump writer, for tests and benchmarks.

Ions are Gaussian random walkers: each axis α moves by N(0, 2 D_α dt) per frame, so
MSD_α(t) = 2 D_α t exactly in expectation. Ions in a group of size g share one walk,
which gives a collective MSD g times the self MSD (Haven ratio 1/g).
"""

from collections.abc import Iterable

import numpy as np
from ase.data import atomic_masses, chemical_symbols

_DUMP_HEADER = (
    "ITEM: TIMESTEP\n{step}\nITEM: NUMBER OF ATOMS\n{n}\nITEM: BOX BOUNDS {tilt}pp pp pp\n"
    "{bounds}ITEM: ATOMS id type element xu yu zu\n"
)


def random_walk_steps(
    rng, n_frames: int, n_ions: int, diffusion_A2_ps, dt_ps: float, group_size: int = 1
) -> np.ndarray:
    """Displacements (n_frames, n_ions, 3) in Å from frame 0, D per axis in Å²/ps.

    diffusion_A2_ps: scalar or (3,) per-axis D. Ions i and j share one walk when
    i // group_size == j // group_size.
    """
    if n_ions % group_size:
        raise ValueError(f"{n_ions} ions do not split into groups of {group_size}")
    scale = np.sqrt(2.0 * np.broadcast_to(np.asarray(diffusion_A2_ps, float), (3,)) * dt_ps)
    steps = rng.standard_normal((n_frames - 1, n_ions // group_size, 3)) * scale
    walk = np.concatenate([np.zeros((1, n_ions // group_size, 3)), np.cumsum(steps, axis=0)])
    return np.repeat(walk, group_size, axis=1)


def host_recoil(numbers: np.ndarray, mobile: np.ndarray, mobile_displacements: np.ndarray) -> np.ndarray:
    """Displacement (n_frames, 3) of a rigid host that keeps the total centre of mass fixed.

    numbers: (n_atoms,) atomic numbers; mobile: boolean mask of the walkers;
    mobile_displacements: (n_frames, n_mobile, 3) Å.
    """
    masses = atomic_masses[numbers]
    momentum = masses[mobile] @ mobile_displacements.transpose(1, 0, 2).reshape(mobile.sum(), -1)
    return -(momentum / masses[~mobile].sum()).reshape(-1, 3)


def write_lammps_dump(
    path,
    numbers: np.ndarray,
    frames: Iterable[np.ndarray],
    cell: np.ndarray,
    species_order=None,
    every: int = 100,
    decimals: int = 6,
) -> None:
    """Write frames of unwrapped positions (Å) as `dump custom ... id type element xu yu zu`.

    cell: (3, 3) lattice vectors (rows) with a along x and b in the xy plane (LAMMPS form).
    Types follow `species_order` (element symbols, default order of first appearance);
    TIMESTEP advances by `every` per frame.
    """
    symbols = [chemical_symbols[number] for number in numbers]
    order = list(species_order or dict.fromkeys(symbols))
    (lx, _, _), (xy, ly, _), (xz, yz, lz) = cell
    tilt = "xy xz yz " if np.any(np.abs([xy, xz, yz]) > 0) else ""
    low, high = min(0.0, xy, xz, xy + xz), max(0.0, xy, xz, xy + xz)
    bounds_rows = [(low, lx + high, xy), (min(0.0, yz), ly + max(0.0, yz), xz), (0.0, lz, yz)]
    bounds = "".join(" ".join(f"{value:.10g}" for value in (row if tilt else row[:2])) + "\n" for row in bounds_rows)
    prefix = [f"{index + 1} {order.index(symbol) + 1} {symbol}" for index, symbol in enumerate(symbols)]
    line = " %.{0}f %.{0}f %.{0}f\n".format(decimals)
    with open(path, "w") as handle:
        for index, positions in enumerate(frames):
            handle.write(_DUMP_HEADER.format(step=index * every, n=len(symbols), tilt=tilt, bounds=bounds))
            handle.write("".join(p + line % tuple(xyz) for p, xyz in zip(prefix, positions.tolist())))


def lattice_sites(cell: np.ndarray, n_sites: int, rng) -> np.ndarray:
    """`n_sites` random positions (Å) inside `cell`; a stand-in for a crystal host."""
    return rng.random((n_sites, 3)) @ cell
