"""neppo's training speed on the CPU: seconds per optimizer step against frames, batch, threads
and NEP size, to choose Study B's embedded training settings from numbers.

Frames are rattled copies of the NEP89-relaxed bulk cells of the embedded default (12–27 atoms,
ZrO2 and Li2ZrCl6), labelled with NEP89. Each setting builds one neppo ``Trainer``, takes 5
warm-up steps, then times ``--steps`` and twice as many steps in the same process (one thread
count per process, as torch sets it once); the difference is the cost of the steps alone, without
the report over every training frame that ends each call: wall seconds and CPU seconds per step.
CPU time does not depend on what else the machine runs, so it is the number to compare settings
by on a shared machine (with two threads it adds both threads' time). Writes a Markdown table to
stdout (and ``--json``).

    python benchmarks/neppo_speed.py --steps 40 > /tmp/neppo_speed.md
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CELLS = [
    "NEP89-relaxed_ZrO2_cub_Fm-3m.cif",
    "NEP89-relaxed_ZrO2_mono_P21c.cif",
    "NEP89-relaxed_ZrO2_tet_P42nmc.cif",
    "NEP89-relaxed_alpha_enum_lowest_Zr_spread.cif",
    "NEP89-relaxed_ideal_P-31c.cif",
]
SIZES = {  # name: n_max, basis_size, l_max, neuron
    "small (4/4, 8/8, l 4, 30 neurons)": ([4, 4], [8, 8], [4, 0, 0], 30),
    "paper (8/8, 12/12, l 4/2, 50 neurons)": ([8, 8], [12, 12], [4, 2, 0], 50),
}
SPECIES = ["Li", "Zr", "Cl", "O"]


def labelled_frames(n: int, seed: int = 0) -> list:
    """``n`` rattled (0.1 Å) copies of CELLS in turn, labelled with NEP89 (eV, eV/Å)."""
    import numpy as np
    from ase.io import read

    from ionflow.reference.foundation import NEPCalculator
    from ionflow.reference.sampling import labelled_copy

    calculator = NEPCalculator(str(ROOT / "external" / "nep89.txt"))
    cells = [read(ROOT / "config" / "structures" / name) for name in CELLS]
    rng = np.random.default_rng(seed)
    frames = []
    for k in range(n):
        atoms = cells[k % len(cells)].copy()
        atoms.rattle(0.1, seed=int(rng.integers(1 << 30)))
        atoms.calc = calculator
        frames.append(labelled_copy(atoms, {}))
    return frames


def seconds_per_step(frames: int, batch: int, size: str, steps: int) -> tuple[float, float]:
    """Wall and CPU seconds per neppo optimizer step (this process's torch threads)."""
    import torch
    from neppo.nep_in import get_loss, get_model
    from neppo.structure_container import StructureContainer
    from neppo.trainer import Trainer

    n_max, basis, l_max, neuron = SIZES[size]
    settings = {  # nep.in keywords as neppo reads them; loss weights as in the configs
        "type": [str(len(SPECIES)), *SPECIES], "cutoff": ["6.0", "5.0"], "n_max": [str(n) for n in n_max],
        "basis_size": [str(n) for n in basis], "l_max": [str(n) for n in l_max], "neuron": [str(neuron)],
        "zbl": ["1.2"], "lambda_e": ["1.0"], "lambda_f": ["1.0"], "lambda_v": ["0.1"],
    }  # fmt: skip
    torch.manual_seed(0)
    model = get_model(settings)
    structures = StructureContainer(model, labelled_frames(frames))
    loss = get_loss(settings, has_bec=False)
    trainer = Trainer(model, loss, structures, batch_size=batch, device="cpu", seed=0)
    trainer.train(steps=5, report_interval=5)
    times = []
    for n in (steps, 2 * steps):  # each call ends with one report over every training frame
        wall, cpu = time.perf_counter(), time.process_time()
        trainer.train(steps=n, report_interval=n)
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return tuple((long - short) / steps for short, long in zip(*times))


def grid() -> list[dict]:
    """The settings measured: frames, batch, threads and size, each varied around 200 frames,
    batch 8, 1 thread and the small size."""
    small, paper = SIZES
    rows = [{"frames": f, "batch": 8, "threads": 1, "size": small} for f in (50, 200, 800)]
    rows += [{"frames": 200, "batch": b, "threads": 1, "size": small} for b in (4, 16, 32)]
    rows += [{"frames": 200, "batch": 8, "threads": 2, "size": small}]
    rows += [{"frames": 200, "batch": b, "threads": t, "size": paper} for b, t in ((8, 1), (8, 2), (32, 1))]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=40, help="timed steps per setting")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: one setting as JSON, in a fresh process
    args = parser.parse_args()
    if args.one:
        import torch

        setting = json.loads(args.one)
        torch.set_num_threads(setting["threads"])
        print(*seconds_per_step(setting["frames"], setting["batch"], setting["size"], args.steps))
        return
    rows = []
    for setting in grid():
        command = [sys.executable, __file__, "--steps", str(args.steps), "--one", json.dumps(setting)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout.split()
        wall, cpu = float(output[-2]), float(output[-1])
        rows.append(
            {**setting, "wall_s_per_step": wall, "cpu_s_per_step": cpu, "frames_per_cpu_s": setting["batch"] / cpu}
        )
        print(f"measured {setting}: {wall:.3f} s/step wall, {cpu:.3f} s/step CPU", file=sys.stderr)
    print("| NEP size | frames | batch | threads | wall s per step | CPU s per step | frames per CPU s |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['size']} | {row['frames']} | {row['batch']} | {row['threads']} | "
            f"{row['wall_s_per_step']:.3f} | {row['cpu_s_per_step']:.3f} | {row['frames_per_cpu_s']:.0f} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
