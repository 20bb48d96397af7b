"""Fidelity of the embedded default: does the learned potential move Li like its reference?

Runs the embedded default (``config/config.yaml``, both studies, as ``make run`` does) in a fresh
copy of the workflow, timed; then runs the teacher (the reference calculator itself) through the
same MD protocol at every production temperature (same cell, length, thermostat, seed and frame
interval as the DP production runs, two runs at a time), analyses those runs with the same
transport settings and Arrhenius rules as Table 1, and writes ``docs/fidelity.md``: the
validation table, Table 1, the teacher's own Table 1, σ(300 K) student/teacher and the time taken
per stage.

    python benchmarks/fidelity.py --workdir /tmp/fidelity      # ~50 min on 2 cores
    python benchmarks/fidelity.py --config config/fidelity.yaml --validation-only \
        --workdir /tmp/fidelity24 --output docs/fidelity_24ps.md   # ~1 h: 24-ps validation runs
    python benchmarks/fidelity.py --config config/fidelity.yaml --study-b-only \
        --workdir /tmp/fidelity_b --output docs/fidelity_study_b.md  # Study B's loop, MD, validation

``--skip-run`` reuses a finished workdir (only the teacher runs and the report are made).
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd
import yaml

from ionflow.analysis.transport.runs import analyse_runs
from ionflow.io import read_frames, write_frames
from ionflow.reference import make_calculator
from ionflow.reference.sampling import run_nvt
from ionflow.structures.orderings import supercell
from ionflow.studies.tables import phase_arrhenius, table1_rows

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("Snakefile", "rules", "scripts", "config", "envs", "profiles", "report")
ENSEMBLE_COLUMNS = [  # validation.ensemble_frames > 0 (docs/potential_validation.md)
    "ensemble_gap_meV_atom",
    "ensemble_gap_meV_atom_se",
    "force_rmse_teacher_frames_eV_A",
    "force_rmse_student_frames_eV_A",
]
DYNAMICS_COLUMNS = [  # teacher vs student Li diffusion, as both studies' validation tables hold it
    "D_teacher_cm2_s",
    "D_teacher_cm2_s_se",
    "D_student_cm2_s",
    "D_student_cm2_s_se",
    "D_ratio",
    "D_ratio_se",
    "D_z_over_D_x_teacher",
    "D_z_over_D_x_student",
]


def fresh_copy(workdir: Path) -> None:
    """The workflow without results, sharing the installed NEP89 file (as a clone after make install)."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    for part in PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, workdir / part)
    (workdir / "external").symlink_to(ROOT / "external")


def snakemake(args: list[str], workdir: Path, cores: int) -> float:
    """Run snakemake in ``workdir``; return the wall time in s (raises on failure)."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "snakemake", "--profile", "profiles/local", "--cores", str(cores), *args],
        cwd=workdir,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def stage_times(results: Path) -> dict[str, tuple[int, float]]:
    """Jobs and summed wall seconds per stage, from the rules' ``benchmark:`` files."""
    stages: dict[str, list[float]] = defaultdict(list)
    for path in results.glob("benchmarks/**/*.tsv"):
        stage = path.relative_to(results / "benchmarks").parts[0]
        rows = list(csv.DictReader(path.open(), delimiter="\t"))
        stages[stage].append(float(rows[-1]["s"]))
    return {stage: (len(times), sum(times)) for stage, times in sorted(stages.items())}


def teacher_run(job: tuple) -> str:
    """One teacher NVT run with the production protocol (cell, length, frame interval, seed)."""
    workdir, config, phase, temperature = job
    results, md = workdir / config["results"], config["md"]
    output = workdir / "teacher_production" / phase / f"T{temperature}.extxyz"
    if not output.is_file():
        unit_cell = read_frames(results / f"structures/{phase}/unit_cell.extxyz")[0]
        atoms = supercell(unit_cell, config["phases"][phase]["supercell"])
        frames = run_nvt(
            atoms,
            make_calculator(config["reference"], phase=phase),
            float(temperature),
            md["production_ps"],
            md["timestep_fs"],
            md["dump_every_fs"],
            md["equilibration_ps"],
            md["seeds"][0],
            {"phase": phase, "role": "teacher"},
        )
        write_frames(frames, output)
    return str(output)


def teacher_table1(workdir: Path, config: dict, cores: int) -> tuple[list[dict], float]:
    """Table 1 rows from the teacher's MD with the production protocol at every production
    temperature (same transport settings and Arrhenius rules), and the wall time of those runs."""
    jobs = [
        (workdir, config, phase, t) for phase, settings in config["phases"].items() for t in settings["md_temperatures"]
    ]
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(cores) as pool:
        paths = pool.map(teacher_run, jobs)
    seconds = time.perf_counter() - start
    transport, per_phase = config["transport"], defaultdict(list)
    for (_, _, phase, temperature), path in zip(jobs, paths):
        result = analyse_runs(
            [path],
            transport["species"],
            temperature_K=float(temperature),
            dt_ps=config["md"]["dump_every_fs"] / 1000.0,
            charge=transport["charge"],
            n_segments=transport["segments_per_run"],
            fit_window_ps=transport["fit_window_ps"],
            fmt="extxyz",
            sigma_from=transport.get("sigma_from", "collective"),
        )
        per_phase[phase].append(result.to_json())
    arrhenius = [dict(phase_arrhenius(results), phase=phase) for phase, results in per_phase.items()]
    return table1_rows(arrhenius), seconds


def markdown(frame: pd.DataFrame, columns: list[str]) -> str:
    shown = frame[[c for c in columns if c in frame.columns]]
    lines = ["| " + " | ".join(shown.columns) + " |", "|" + "---|" * len(shown.columns)]
    for _, row in shown.iterrows():
        cells = [f"{v:.3g}" if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(
    workdir: Path,
    config_name: str,
    config: dict,
    run_seconds: float | None,
    teacher_rows: list[dict] | None,
    teacher_seconds: float,
    how_run: str | None = None,
) -> str:
    """docs/fidelity*.md: the validation table, both Table 1s and Study B's sections (unless
    ``teacher_rows`` is None: a validation-only run) and the time per stage; ``how_run`` says
    how a reused workdir was made and how long its run took."""
    validation_only = teacher_rows is None
    results = workdir / config["results"]
    validation = pd.read_csv(results / "tables/potential_validation.csv", comment="#")
    stages = stage_times(results)
    stages_b = stage_times(workdir / config["study_b"]["results"]) if "study_b" in config["studies"] else {}
    table1_columns = [
        "phase",
        "sigma_S_cm",
        "sigma_S_cm_se",
        "E_a_eV",
        "E_a_eV_se",
        "D_i_cm2_s",
        "D_i_cm2_s_se",
        "D_cm2_s",
        "D_cm2_s_se",
        "H_R",
        "H_R_se",
        "potential_validation",
        "note",
    ]
    lines = [
        f"# Fidelity of `{config_name}`",
        "",
        f"Written by `benchmarks/fidelity.py --config {config_name}` (do not edit by hand). The workflow",
        "was run from empty results in a fresh copy on the 2-core development machine"
        + (
            "; then the reference calculator itself (the teacher) ran the same MD protocol at every"
            " production temperature and went through the same transport analysis and Arrhenius rules."
            if teacher_rows is not None
            else " up to the potential validation table only (`--validation-only`)."
        ),
        "",
        f"- workflow run: **{run_seconds / 60:.1f} min** wall" if run_seconds else f"- workflow run reused: {how_run}",
        f"- teacher runs for the Table 1 comparison: {teacher_seconds / 60:.1f} min wall (benchmark only)"
        if teacher_rows is not None
        else "- no production MD and no Table 1 in this run",
        "",
        "## Dynamics validation (`tables/potential_validation.csv`)",
        "",
        markdown(
            validation,
            [
                "phase",
                "temperature_K",
                *DYNAMICS_COLUMNS,
                "closest_pair_student_A",
                "force_r2_min",
                *[c for c in ENSEMBLE_COLUMNS if c in validation],
                "verdict",
                "note",
            ],
        ),
        "",
        *(table1_sections(results, teacher_rows, table1_columns) if teacher_rows is not None else []),
        *(study_b_sections(workdir / config["study_b"]["results"]) if stages_b and not validation_only else []),
        "## Time per stage (sum of job wall times from the `benchmark:` files)",
        "",
        "| study | stage | jobs | s |",
        "|---|---|---|---|",
        *[f"| A | {stage} | {n} | {seconds:.0f} |" for stage, (n, seconds) in stages.items()],
        *[f"| B | {stage} | {n} | {seconds:.0f} |" for stage, (n, seconds) in stages_b.items()],
        "",
    ]
    return "\n".join(lines)


FRESH_RUN = "Study B of the config was run from empty results in a fresh copy on the 2-core development machine."


def study_b_report(
    workdir: Path, config_name: str, config: dict, run_seconds: float | None, how_run: str | None = None
) -> str:
    """docs/fidelity_study_b.md: Study B's sections (``study_b_sections``) and its time per stage;
    ``how_run`` says how a reused workdir was made."""
    results = workdir / config["study_b"]["results"]
    lines = [
        f"# Study B fidelity: `{config_name}`",
        "",
        f"Written by `benchmarks/fidelity.py --config {config_name} --study-b-only` (do not edit by hand).",
        how_run or FRESH_RUN,
        "",
        f"- workflow run: **{run_seconds / 60:.1f} min** wall" if run_seconds else "- workflow run reused",
        "",
        *study_b_sections(results),
        "## Time per stage (sum of job wall times from the `benchmark:` files)",
        "",
        "| stage | jobs | s |",
        "|---|---|---|",
        *[f"| {stage} | {n} | {seconds:.0f} |" for stage, (n, seconds) in stage_times(results).items()],
        "",
    ]
    return "\n".join(lines)


def study_b_sections(results: Path) -> list[str]:
    """Study B in numbers: the active-learning loop per iteration, the final NEP's errors, the
    hold-out interfaces and, with ``md.potential: final``, the dynamics validation of the NEP."""
    tables = results / "tables"
    loop = pd.read_csv(tables / "active_learning.csv", comment="#")
    validation = tables / "potential_validation.csv"
    lines = [
        "## Study B: active learning per iteration (`tables/active_learning.csv`)",
        "",
        "Committee means; `test`: random hold-out of all labelled data, `target`: unseen foundation-MD",
        "frames at the target temperatures. ε in eV/Å, RMSE in meV/Å and meV/atom.",
        "",
        markdown(
            loop,
            [
                "iteration",
                "train_frames",
                "test_frames",
                "test_force_rmse_meV_A",
                "test_energy_rmse_meV_atom",
                "target_force_rmse_meV_A",
                "target_energy_rmse_meV_atom",
                "max_deviation_eV_A",
                "max_deviation_target_eV_A",
                "candidates_in_target_region",
                "candidate_fraction",
                "selected",
                "converged",
            ],
        ),  # fmt: skip
        "",
        "## Study B: the final NEP (`tables/nep_rmse.csv`, `tables/holdout_interfaces.csv`)",
        "",
        markdown(
            pd.read_csv(tables / "nep_rmse.csv", comment="#"),
            [
                "set",
                "frames",
                "energy_rmse_meV_atom",
                "force_rmse_meV_A",
                "virial_rmse_meV_atom",
                "measures",
            ],
        ),  # fmt: skip
        "",
        markdown(
            pd.read_csv(tables / "holdout_interfaces.csv", comment="#"),
            [
                "interface",
                "atoms",
                "reference_eV_atom",
                "nep_eV_atom",
                "error_meV_atom",
            ],
        ),  # fmt: skip
        "",
    ]
    if validation.is_file():
        lines += [
            "## Study B: dynamics validation of the learned NEP (`tables/potential_validation.csv`)",
            "",
            markdown(
                pd.read_csv(validation, comment="#"),
                [
                    "system",
                    "temperature_K",
                    *DYNAMICS_COLUMNS,
                    "ks_distance",
                    "ks_allowed",
                    "closest_pair_student_A",
                    "verdict",
                    "note",
                ],
            ),  # fmt: skip
            "",
        ]
    return lines


def table1_sections(results: Path, teacher_rows: list[dict], columns: list[str]) -> list[str]:
    student = pd.read_csv(results / "tables/table1.csv", comment="#")
    teacher = pd.DataFrame(teacher_rows)
    ratio = student.set_index("phase")["sigma_S_cm"] / teacher.set_index("phase")["sigma_S_cm"]
    return [
        "## Table 1 of the learned potential (`tables/table1.csv`)",
        "",
        markdown(student, columns),
        "",
        "## Table 1 of the teacher's own MD (same protocol)",
        "",
        markdown(teacher, [c for c in columns if c != "potential_validation"]),
        "",
        "σ(300 K) learned / teacher: " + ", ".join(f"{phase} {value:.2g}" for phase, value in ratio.items()),
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ionflow-fidelity"))
    parser.add_argument("--config", default="config/config.yaml", help="the workflow config to run")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--skip-run", action="store_true", help="reuse a finished workdir")
    parser.add_argument("--validation-only", action="store_true", help="run up to the validation table only")
    parser.add_argument("--study-b-only", action="store_true", help="run and report Study B of the config alone")
    parser.add_argument("--output", type=Path, default=ROOT / "docs/fidelity.md")
    parser.add_argument("--how-run", help="with --skip-run: how the reused workdir was made, and its wall time")
    args = parser.parse_args()
    config = yaml.safe_load((ROOT / args.config).read_text())
    target = [f"{config['results']}/tables/potential_validation.csv"] if args.validation_only else []
    only_b = ["--config", 'studies=["study_b"]'] if args.study_b_only else []
    run_seconds = None
    if not args.skip_run:
        fresh_copy(args.workdir)
        run_seconds = snakemake([*target, "--configfile", args.config, *only_b], args.workdir, args.cores)
        print(f"{args.config}: {run_seconds / 60:.1f} min", flush=True)
    if args.study_b_only:
        args.output.write_text(study_b_report(args.workdir, args.config, config, run_seconds, args.how_run))
        print(f"wrote {args.output}")
        return
    rows, teacher_seconds = (None, 0.0) if args.validation_only else teacher_table1(args.workdir, config, args.cores)
    if rows is not None:
        (args.workdir / "teacher_table1.json").write_text(json.dumps(rows, indent=1, default=str))
    args.output.write_text(report(args.workdir, args.config, config, run_seconds, rows, teacher_seconds, args.how_run))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
