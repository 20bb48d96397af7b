"""Where users wait: trajectory reading (LAMMPS dump, extended XYZ) against a bare line scan,
dry-runs against Snakemake's start-up, and the summary the dynamics validation makes of each teacher and student run.

A dry-run is measured against two baselines: ``snakemake --version`` (the issue's yardstick) and
a bare workflow with as many jobs as the config's DAG (one rule with a ``script:``, no imports,
no config validation, no input functions): what Snakemake itself needs to plan that many jobs.

Each measurement runs in its own process (best of ``--repeats``), so imports count as a user
sees them. With ``--baseline TREE`` (a checkout of an older commit, e.g. from
``git worktree add /tmp/before <commit>``) the same commands run with that tree's ``ionflow``
and Snakefile too, for a before/after table. Writes a Markdown table to stdout (and ``--json``).

    python benchmarks/speed.py --frames 400 --baseline /tmp/before
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.transport import write_trajectory  # noqa: E402

LINE_SCAN = "n = 0\nwith open({path!r}, 'rb') as f:\n    for line in f:\n        n += 1\nprint(n)"
READ = (  # a baseline tree may have the reader in ionflow.transport (before 2026-12-06) or ionflow.trajectory;
    # try the old place first: the editable install would resolve a missing subpackage in this checkout
    "try:\n    from ionflow.transport import read_species_trajectory as r\n"
    "except ImportError:\n    from ionflow.trajectory import read_species_trajectory as r\n"
    "print(r({path!r}, 'Li').positions.shape)"
)

SUMMARY = (  # what the validation reads from one run: D, framework MSD, RDFs and the closest pair
    "from ionflow.analysis.validation.dynamics import trajectory_summary as s\n"
    "s({path!r}, 'lammps-dump', ['Li', 'Zr', 'Cl'], 0.02, 'Li', ['Li', 'Zr', 'Cl'])"
)
VALIDATION_RUN = (432, 1200)  # atoms, frames: a 24-ps validation run of config/fidelity.yaml


def timed(command: list[str], cwd: Path, pythonpath: Path | None = None, repeats: int = 3) -> tuple[float, float]:
    """Best wall time (s) of ``repeats`` runs and the largest peak RSS (MB) of one run."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    best, peak = float("inf"), 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        best = min(best, time.perf_counter() - start)
        if status != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
        peak = max(peak, usage.ru_maxrss / 1024)
    return best, peak


BARE_WORKFLOW = """N = int(config["n_jobs"])
rule all:
    input: expand("out/{i}.txt", i=range(N))
rule job:
    output: "out/{i}.txt"
    script: "job.py"
"""


def job_count(tree: Path, config: str) -> int:
    """Jobs in the dry-run of ``config`` from empty results (Snakemake's ``total`` line)."""
    command = [sys.executable, "-m", "snakemake", "-n", "all", "--configfile", f"config/{config}.yaml"]
    output = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in output.splitlines() if line.startswith("total")))


def bare_dry_run(workdir: Path, n_jobs: int, repeats: int) -> float:
    """Best wall time (s) of a dry-run of the bare workflow with ``n_jobs`` script jobs."""
    folder = workdir / "bare_workflow"
    folder.mkdir(exist_ok=True)
    (folder / "Snakefile").write_text(BARE_WORKFLOW)
    (folder / "job.py").write_text("open(snakemake.output[0], 'w').close()\n")
    command = [sys.executable, "-m", "snakemake", "-n", "--quiet", "--config", f"n_jobs={n_jobs - 1}"]
    return timed(command, folder, None, repeats)[0]


def transport_command(path: Path) -> list[str]:
    return [sys.executable, "-m", "ionflow.cli", "transport", str(path), "--temperature", "950", "--dt-ps", "0.1",
            "--segments", "5", "--quiet", "--json", str(path.with_suffix(".json"))]  # fmt: skip


def write_extxyz(dump: Path, path: Path) -> None:
    """The frames of `dump` as extended XYZ, as ASE writes it (the teacher runs' format)."""
    import ase.io

    from ionflow.trajectory import iter_frames

    ase.io.write(path, list(iter_frames(dump)), format="extxyz")


def measure(tree: Path, dump: Path, validation_dump: Path, repeats: int) -> dict[str, float]:
    snakemake = [sys.executable, "-m", "snakemake"]
    extxyz = validation_dump.with_suffix(".extxyz")
    rows = {
        "read_species_trajectory (s)": timed([sys.executable, "-c", READ.format(path=str(dump))], tree, tree, repeats),
        "read_species_trajectory, extxyz (s)": timed(
            [sys.executable, "-c", READ.format(path=str(extxyz))], tree, tree, repeats
        ),
        "ionflow transport (s)": timed(transport_command(dump), tree, tree, repeats),
        "validation trajectory_summary (s)": timed(
            [sys.executable, "-c", SUMMARY.format(path=str(validation_dump))], tree, tree, repeats
        ),
    }
    for config in ("study_a", "study_b"):
        rows[f"dry-run {config} (s)"] = timed(
            [*snakemake, "-n", "--quiet", "all", "--configfile", f"config/{config}.yaml"], tree, tree, repeats
        )
    return {label: seconds for label, (seconds, _) in rows.items()} | {
        "ionflow transport peak RSS (MB)": rows["ionflow transport (s)"][1]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atoms", type=int, default=12960)
    parser.add_argument("--frames", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ionflow_speed"))
    parser.add_argument("--baseline", type=Path, help="checkout of an older commit to compare with")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    dump = args.workdir / f"li_{args.atoms}x{args.frames}.lammpstrj"
    validation_dump = args.workdir / "li_{}x{}.lammpstrj".format(*VALIDATION_RUN)
    for path, (atoms, frames) in ((dump, (args.atoms, args.frames)), (validation_dump, VALIDATION_RUN)):
        if not path.exists():
            write_trajectory(path, atoms, frames)
    extxyz = validation_dump.with_suffix(".extxyz")
    if not extxyz.exists():
        write_extxyz(validation_dump, extxyz)
    subprocess.run(["cat", str(dump)], stdout=subprocess.DEVNULL, check=True)  # page cache, as for the scan
    scan, _ = timed([sys.executable, "-c", LINE_SCAN.format(path=str(dump))], ROOT, None, args.repeats)
    scan_extxyz, _ = timed([sys.executable, "-c", LINE_SCAN.format(path=str(extxyz))], ROOT, None, args.repeats)
    version, _ = timed([sys.executable, "-m", "snakemake", "--version"], ROOT, None, args.repeats)
    jobs = {config: job_count(ROOT, config) for config in ("study_a", "study_b")}
    bare = {config: bare_dry_run(args.workdir, n, args.repeats) for config, n in jobs.items()}
    trees = {"now": ROOT} | ({"before": args.baseline} if args.baseline else {})
    results = {name: measure(tree, dump, validation_dump, args.repeats) for name, tree in trees.items()}
    baselines = {"read_species_trajectory (s)": scan, "ionflow transport (s)": scan}
    baselines["read_species_trajectory, extxyz (s)"] = scan_extxyz
    baselines |= {"dry-run study_a (s)": version, "dry-run study_b (s)": version}
    size = dump.stat().st_size / 1e6
    load = os.getloadavg()[0]
    print(f"{args.atoms} atoms x {args.frames} frames, {size:.0f} MB; bare line scan {scan:.2f} s; ", end="")
    print(f"extxyz {VALIDATION_RUN[0]} atoms x {VALIDATION_RUN[1]} frames, line scan {scan_extxyz:.2f} s; ", end="")
    print(f"`snakemake --version` {version:.2f} s; best of {args.repeats}, load {load:.1f}\n")
    for config, n in jobs.items():
        ours = results["now"][f"dry-run {config} (s)"]
        print(f"- dry-run {config}: {n} jobs; the bare workflow of {n} jobs {bare[config]:.2f} s", end="")
        print(f" ({bare[config] / version:.2f}× `--version`); now / bare {ours / bare[config]:.2f}×")
    print()
    names = list(trees)
    print("| measurement | " + " | ".join(f"{n} | {n} / baseline" for n in names) + " |")
    print("|---|" + "---|---|" * len(names))
    for label in results["now"]:
        cells = []
        for name in names:
            value = results[name][label]
            ratio = f"{value / baselines[label]:.2f}×" if label in baselines else ""
            cells += [f"{value:.2f}", ratio]
        print(f"| {label} | " + " | ".join(cells) + " |")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"scan_s": scan, "version_s": version, "bare_dry_run_s": bare, "size_MB": size, **results}, indent=1
            )
        )


if __name__ == "__main__":
    main()
