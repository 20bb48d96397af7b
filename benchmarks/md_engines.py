"""Atom-steps per second of the local MD engines and DeePMD training seconds per step.

Uses the models of a finished embedded run (``make run``):
    python benchmarks/md_engines.py --models results/study_a/models/ordered_alpha \
        --unit-cell results/study_a/structures/ordered_alpha/unit_cell.extxyz
LAMMPS + DeePMD, compressed and uncompressed model, 1 and 2 MPI ranks (1 thread each), on a
supercell of the unit cell; training s/step is read from the run's lcurve/benchmark logs.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from ionflow.io import read_frames
from ionflow.md.lammps import md_input, run_lammps, write_data_file

TYPE_MAP = ["Li", "Zr", "Cl"]


def lammps_rate(model: Path, atoms, steps: int, ranks: int) -> float:
    """Atom-steps per second of an NVT run (loop time of the production run only)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_data_file(atoms, tmp / "system.data", TYPE_MAP)
        (tmp / "in.lammps").write_text(
            md_input(
                "system.data",
                str(model.resolve()),
                TYPE_MAP,
                1000.0,
                1,
                1.0,
                100.0,
                0.01,
                steps / 1000.0,
                float(steps),
                "traj.lammpstrj",
            )
        )
        run_lammps("in.lammps", tmp, tmp / "run.log", threads=1, ranks=ranks)
        loop = re.findall(r"Loop time of ([0-9.eE+-]+) on", (tmp / "log.lammps").read_text())[-1]
    return len(atoms) * steps / float(loop)


def training_seconds_per_step(model_dir: Path) -> float:
    """Wall seconds per training step from DeePMD's own log of the run."""
    log = (model_dir.parents[1] / "logs" / "models" / model_dir.name / "train.log").read_text()
    per_batch = re.findall(r"batch\s+\d+: total wall time = ([0-9.]+) s", log, re.IGNORECASE)
    batches = re.findall(r"batch\s+(\d+): total wall time", log, re.IGNORECASE)
    if len(per_batch) < 2:
        raise ValueError(f"{model_dir}: no per-batch timing in the training log")
    steps = int(batches[-1]) - int(batches[0])
    return sum(map(float, per_batch[1:])) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, required=True)
    parser.add_argument("--unit-cell", type=Path, required=True)
    parser.add_argument("--supercell", type=int, nargs=3, default=[2, 2, 4])
    parser.add_argument("--steps", type=int, default=500)
    args = parser.parse_args()
    atoms = read_frames(args.unit_cell)[0].repeat(tuple(args.supercell))
    print("| engine | model | ranks | atoms | atom-steps/s |\n|---|---|---|---|---|")
    for name in ("model_compressed.pb", "model.pb"):
        for ranks in (1, 2):
            rate = lammps_rate(args.models / name, atoms, args.steps, ranks)
            print(f"| LAMMPS + DeePMD (TF) | {name} | {ranks} | {len(atoms)} | {rate:,.0f} |")
    print(f"\nDeePMD training: {training_seconds_per_step(args.models):.4f} s/step")


if __name__ == "__main__":
    main()
