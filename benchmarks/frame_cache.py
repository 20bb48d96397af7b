"""Parse-once replay (ionflow.trajectory.frame_cache.FrameCache) against repeated ASE extxyz passes.

interface_analysis_b makes six passes over an interface trajectory (count, CN, density, hops,
displacements, polyhedra). Writes a synthetic extxyz trajectory of --atoms atoms and --frames
frames, then times (a) six ``ase.io.iread`` passes and (b) one FrameCache parse plus six replays.

    python benchmarks/frame_cache.py --atoms 2000 --frames 100
"""

import argparse
import itertools
import tempfile
import time
from pathlib import Path

import numpy as np
from ase import Atoms
from ase.io import iread, write

from ionflow.trajectory.frame_cache import FrameCache

PASSES = 6


def synthetic_trajectory(path: Path, n_atoms: int, n_frames: int) -> None:
    rng = np.random.default_rng(0)
    cell = np.diag([30.0, 30.0, 10.0 * n_atoms / 900.0])
    positions = rng.uniform(0.0, 1.0, (n_atoms, 3)) @ cell
    symbols = list(
        itertools.islice(itertools.cycle(["Li", "Li", "Zr", "Cl", "Cl", "Cl", "Cl", "Cl", "Cl", "O"]), n_atoms)
    )
    with path.open("w") as handle:
        for k in range(n_frames):
            atoms = Atoms(symbols, positions=positions + rng.normal(0.0, 0.1, positions.shape), cell=cell, pbc=True)
            atoms.info["time_ps"] = 10.0 * (k + 1)
            write(handle, atoms, format="extxyz")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--atoms", type=int, default=2000)
    parser.add_argument("--frames", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "dump.xyz"
        synthetic_trajectory(path, args.atoms, args.frames)
        start = time.perf_counter()
        for _ in range(PASSES):
            sum(1 for _ in iread(path, index=":", format="extxyz"))
        ase_s = time.perf_counter() - start
        start = time.perf_counter()
        cache = FrameCache.from_extxyz(path, Path(work) / "cache")
        parse_s = time.perf_counter() - start
        for _ in range(PASSES):
            sum(1 for _ in cache.frames())
        cache_s = time.perf_counter() - start
    per_atom_frame = cache_s / (args.atoms * args.frames)
    print(
        f"{args.atoms} atoms x {args.frames} frames: {PASSES} ASE passes {ase_s:.2f} s; "
        f"FrameCache parse {parse_s:.2f} s + {PASSES} replays = {cache_s:.2f} s "
        f"({ase_s / cache_s:.1f}x); production (1e4 atoms x 2000 frames) ~"
        f"{ase_s / (args.atoms * args.frames) * 2e7 / 60:.0f} min vs ~{per_atom_frame * 2e7 / 60:.0f} min"
    )


if __name__ == "__main__":
    main()
