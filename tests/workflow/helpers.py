"""Run Snakemake as a user would and read its job list."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNAKEMAKE = [sys.executable, "-m", "snakemake"]
WORKFLOW_PARTS = ("Snakefile", "rules", "scripts", "config", "envs", "profiles", "report")


def copy_workflow(destination: Path, smoke: bool = True) -> Path:
    """A fresh copy of the workflow (results empty) that shares the installed NEP89 file.

    With ``smoke`` the copy's default config is config/smoke.yaml (the plumbing at CI size); the
    embedded default's physics is measured by benchmarks/fidelity.py, not by the test suite.
    """
    destination.mkdir(parents=True, exist_ok=True)
    for part in WORKFLOW_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part)
        else:
            shutil.copy(source, destination / part)
    if smoke:
        shutil.copy(destination / "config/config.yaml", destination / "config/embedded.yaml")
        shutil.copy(ROOT / "config/smoke.yaml", destination / "config/config.yaml")
    (destination / "external").symlink_to(ROOT / "external")
    return destination


def snakemake(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``snakemake ARGS`` in ``cwd`` with the test interpreter's environment."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run([*SNAKEMAKE, *args], cwd=cwd, capture_output=True, text=True, env=env)
    if check and result.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
    return result


def dry_run_jobs(args: list[str], cwd: Path) -> list[tuple[str, str]]:
    """(rule, wildcards) of every job a dry run would execute."""
    output = snakemake(["-n", *args], cwd).stdout
    jobs, rule = [], None
    for line in output.splitlines():
        match = re.match(r"^(?:local)?(?:rule|checkpoint) (\w+):", line)
        if match:
            if rule is not None:
                jobs.append((rule, ""))
            rule = match.group(1)
            continue
        wildcards = re.match(r"^\s+wildcards: (.*)", line)
        if wildcards and rule is not None:
            jobs.append((rule, wildcards.group(1)))
            rule = None
    if rule is not None:
        jobs.append((rule, ""))
    return jobs


def job_counts(jobs: list[tuple[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for rule, _ in jobs:
        counts[rule] = counts.get(rule, 0) + 1
    return counts
