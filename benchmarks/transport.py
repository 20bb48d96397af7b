"""Time and peak memory of `ionflow transport` against peers on a production-shaped LAMMPS dump.

Writes a synthetic `id type element xu yu zu` dump (default 12,960 atoms of which 4,320 Li,
5,000 frames, ~2.4 GB) to --workdir, then runs every measurement in its own subprocess and
reads its peak resident memory from os.wait4. Peers (pymatgen-analysis-diffusion,
MDAnalysis, kinisi) run in --peer-python (a venv from benchmarks/requirements-peers.txt) on
smaller dumps of the same system; their full-size time is extrapolated from two sizes
with a power law and labelled as such.

    python benchmarks/transport.py --peer-python /tmp/benchvenv/bin/python
    python benchmarks/transport.py --frames 500 --atoms 1296   # a quick run
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from ionflow.transport.synthetic import lattice_sites, write_lammps_dump

DT_PS = 0.1  # LAMMPS dump every 100 steps of 1 fs
TEMPERATURE_K = 950

PEERS = {
    "ASE read (lammps-dump-text)": """
import ase.io
n = sum(1 for _ in ase.io.iread(PATH, format="lammps-dump-text"))
print(n, "frames")
""",
    "pymatgen-analysis-diffusion DiffusionAnalyzer (read with ASE)": """
import ase.io
from pymatgen.io.ase import AseAtomsAdaptor
from pymatgen.analysis.diffusion.analyzer import DiffusionAnalyzer
structures = [AseAtomsAdaptor.get_structure(a) for a in ase.io.iread(PATH, format="lammps-dump-text")]
d = DiffusionAnalyzer.from_structures(structures, "Li", 950, time_step=1, step_skip=100, smoothed="max")
print("D", d.diffusivity, "D_chg", d.chg_diffusivity)
""",
    "MDAnalysis EinsteinMSD(fft=True)": """
import MDAnalysis as mda
from MDAnalysis.analysis.msd import EinsteinMSD
u = mda.Universe(PATH, format="LAMMPSDUMP", topology_format="LAMMPSDUMP",
                 lammps_coordinate_convention="unwrapped", dt=0.1)
msd = EinsteinMSD(u, select="type 1", msd_type="xyz", fft=True).run()
print("MSD[-1]", msd.results.timeseries[-1])
""",
    "kinisi DiffusionAnalyzer (MDAnalysis reader, MSD + Bayesian D)": """
import MDAnalysis as mda, scipp as sc
from kinisi.analyze import DiffusionAnalyzer
u = mda.Universe(PATH, format="LAMMPSDUMP", topology_format="LAMMPSDUMP",
                 lammps_coordinate_convention="unwrapped", dt=0.1)
d = DiffusionAnalyzer.from_universe(u, specie="1", time_step=sc.scalar(0.1, unit="ps"),
                                    step_skip=sc.scalar(1), progress=False)
d.diffusion(start_dt=sc.scalar(2.0, unit="ps"), progress=False)
print("D", sc.mean(d.D).value)
""",
}


def write_trajectory(path: Path, n_atoms: int, n_frames: int, seed: int = 0) -> None:
    """Li walkers (D = 0.05 Å²/ps) in a host vibrating by 0.1 Å; a third of the atoms are Li."""
    rng = np.random.default_rng(seed)
    n_li, n_zr = n_atoms // 3, n_atoms // 6
    numbers = np.array([3] * n_li + [40] * n_zr + [17] * (n_atoms - n_li - n_zr))
    cell = np.diag([86.6, 65.0, 58.2]) * (n_atoms / 12960) ** (1 / 3)
    start = lattice_sites(cell, n_atoms, rng)

    def frames():
        walk = np.zeros((n_li, 3))
        for _ in range(n_frames):
            positions = start + 0.1 * rng.standard_normal((n_atoms, 3))
            positions[:n_li] = start[:n_li] + walk
            walk += np.sqrt(2 * 0.05 * DT_PS) * rng.standard_normal((n_li, 3))
            yield positions

    write_lammps_dump(path, numbers, frames(), cell, species_order=["Li", "Zr", "Cl"], decimals=5)


# A bare interpreter starts each command, so the peak RSS is the command's own and not
# that of this process (a forked child inherits the parent's resident pages until exec).
_LAUNCHER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
print("maxrss_kB", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def measure(command: list[str]) -> dict:
    """Run `command`; return wall seconds, peak RSS (MB) and the last line of its output."""
    start = time.perf_counter()
    process = subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, *command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    lines = process.stdout.strip().splitlines() or process.stderr.strip().splitlines()[-1:]
    rss = [int(line.split()[1]) for line in lines if line.startswith("maxrss_kB")]
    output = [line for line in lines if not line.startswith("maxrss_kB")] or [""]
    return {"seconds": seconds, "rss_MB": rss[0] / 1024 if rss else float("nan"),
            "ok": process.returncode == 0, "last": output[-1][:120]}


def dump_for(workdir: Path, n_atoms: int, n_frames: int) -> Path:
    path = workdir / f"bench_{n_atoms}x{n_frames}.lammpstrj"
    if not path.exists():
        started = time.perf_counter()
        write_trajectory(path, n_atoms, n_frames)
        print(f"wrote {path} ({path.stat().st_size / 1e9:.2f} GB) in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def ionflow_commands(path: Path, out: Path, segments: int) -> dict:
    read = f"from ionflow.transport import read_species_trajectory as r; print(r({str(path)!r}, 'Li').positions.shape)"
    return {
        "cat (raw file read)": ["cat", str(path)],
        "ionflow read only (read_species_trajectory)": [sys.executable, "-c", read],
        f"ionflow transport (--segments {segments})": [
            sys.executable, "-m", "ionflow.cli", "transport", str(path), "--temperature", str(TEMPERATURE_K),
            "--dt-ps", str(DT_PS), "--segments", str(segments), "--quiet", "--json", str(out),
        ],
    }


def extrapolate(small: tuple[int, float], large: tuple[int, float], frames: int) -> tuple[float, float]:
    """Power-law time at `frames` from two (frames, seconds) points; returns (seconds, exponent)."""
    exponent = np.log(large[1] / small[1]) / np.log(large[0] / small[0])
    return large[1] * (frames / large[0]) ** exponent, exponent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atoms", type=int, default=12960)
    parser.add_argument("--frames", type=int, default=5000)
    parser.add_argument("--segments", type=int, default=5)
    parser.add_argument("--peer-frames", type=int, nargs=2, default=(50, 150),
                        help="two smaller frame counts at which peers are timed")
    parser.add_argument("--peer-python", help="python of a venv with the peers; skip peers if absent")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ionflow_bench"))
    parser.add_argument("--doc", type=Path, default=Path(__file__).parents[1] / "docs/performance_transport.md")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)

    rows = []
    full = dump_for(args.workdir, args.atoms, args.frames)
    for label, command in ionflow_commands(full, args.workdir / "out.json", args.segments).items():
        if label.startswith("cat"):
            command = ["sh", "-c", f"cat {full} > /dev/null"]
        rows.append((label, args.frames, "measured", measure(command)))
        print(rows[-1], flush=True)
    if args.peer_python:
        sizes = [dump_for(args.workdir, args.atoms, frames) for frames in args.peer_frames]
        for label, code in PEERS.items():
            points = []
            for frames, path in zip(args.peer_frames, sizes):
                result = measure([args.peer_python, "-c", f"PATH = {str(path)!r}\n{code}"])
                rows.append((label, frames, "measured", result))
                print(rows[-1], flush=True)
                points.append((frames, result["seconds"]))
            if all(row[3]["ok"] for row in rows[-2:]):
                seconds, exponent = extrapolate(points[0], points[1], args.frames)
                rows.append((label, args.frames, f"extrapolated (t ∝ frames^{exponent:.2f})",
                             {"seconds": seconds, "rss_MB": float("nan"), "ok": True, "last": ""}))
        for frames, path in zip(args.peer_frames, sizes):
            command = ionflow_commands(path, args.workdir / "out_small.json", 1)["ionflow transport (--segments 1)"]
            rows.append(("ionflow transport (--segments 1)", frames, "measured", measure(command)))
    write_report(args, rows)


def write_report(args, rows) -> None:
    size = (args.workdir / f"bench_{args.atoms}x{args.frames}.lammpstrj").stat().st_size / 1e9
    lines = [
        "# Transport analysis performance",
        "",
        f"Synthetic LAMMPS dump `id type element xu yu zu`, {args.atoms} atoms ({args.atoms // 3} Li), "
        f"{args.frames} frames, {size:.2f} GB. Machine: 2 cores, no GPU; other jobs shared the cores.",
        "",
        "Command: `python benchmarks/transport.py " + " ".join(sys.argv[1:]) + "`",
        "",
        "| tool | frames | how | wall time (s) | peak RSS (MB) | output |",
        "|---|---|---|---|---|---|",
    ]
    for label, frames, how, result in rows:
        status = result["last"] if result["ok"] else "FAILED: " + result["last"]
        lines.append(f"| {label} | {frames} | {how} | {result['seconds']:.1f} | {result['rss_MB']:.0f} | {status} |")
    args.doc.parent.mkdir(parents=True, exist_ok=True)
    args.doc.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
