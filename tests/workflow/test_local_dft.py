"""CP2K labelling inside the workflow: a non-converging SCF ends in the failures table, not in
the dataset, and the workflow completes; a labelling job SIGKILLed mid-chunk resumes and builds a
dataset of converged CP2K labels."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import psutil
import pytest
import yaml
from ase.build import bulk
from ase.io import read, write

from ionflow.reference import make_calculator
from tests.workflow.helpers import SNAKEMAKE, copy_workflow, snakemake

pytestmark = [
    pytest.mark.workflow,
    pytest.mark.skipif(shutil.which("cp2k.psmp") is None, reason="needs CP2K: make system-deps"),
]


def test_scf_failures_are_recorded_and_excluded(tmp_path):
    workdir = copy_workflow(tmp_path / "wf")
    config = yaml.safe_load((workdir / "config/local_dft.yaml").read_text())
    config["results"] = "results/scf_fail"
    config["structures"]["max_orderings"] = 2
    config["aimd"].update(temperatures=[300], duration_ps=0.05, rescale_factors=[], equilibration_ps=0.0)
    config["labelling"]["chunk_size"] = 1
    config["labelling"]["reference"].update(max_scf=2, ranks=1)  # two SCF steps never converge
    (workdir / "config/scf_fail.yaml").write_text(yaml.safe_dump(config))
    snakemake(
        ["--cores", "2", "results/scf_fail/dataset/beta/summary.json", "--configfile", "config/scf_fail.yaml"], workdir
    )
    summary = json.loads((workdir / "results/scf_fail/dataset/beta/summary.json").read_text())
    assert summary["frames_total"] == 2  # 50 fs sampled every 25 fs
    assert summary["frames_failed"] == 2 and summary["frames_usable"] == 0
    assert summary["reference"] == "cp2k"
    with open(workdir / "results/scf_fail/dataset/beta/failures.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2
    assert all(r["reason"].startswith("reference failed: cp2k: SCF not converged") for r in rows)
    assert not list((workdir / "results/scf_fail/dataset/beta/train/set.000").glob("*.npy"))


def _licl_config(workdir):
    """config/local_dft.yaml on a 2-atom LiCl cell (a CP2K single point in seconds): 3 frames
    sampled at 300 K, labelled by CP2K with an SCF that converges, in one chunk."""
    atoms = bulk("LiCl", "rocksalt", a=5.13)
    write(workdir / "config/structures/LiCl_rocksalt.cif", atoms, format="cif")
    config = yaml.safe_load((workdir / "config/local_dft.yaml").read_text())
    config.update(results="results/cp2k", phase_order=["licl"])
    phase = {"cif": "config/structures/LiCl_rocksalt.cif", "ordering": "lowest", "supercell": [1, 1, 1]}
    config["phases"] = {"licl": phase | {"rcut": 6.0, "md_temperatures": [1000]}}
    config["aimd"].update(temperatures=[300], duration_ps=0.075, rescale_factors=[], equilibration_ps=0.0)
    config["labelling"]["chunk_size"] = 3
    config["labelling"]["reference"].update(cutoff_Ry=150, ranks=1, max_scf=50)
    (workdir / "config/cp2k.yaml").write_text(yaml.safe_dump(config))
    return config


def test_a_sigkilled_cp2k_labelling_job_resumes_into_a_converged_dataset(tmp_path):
    """The whole job (Snakemake, the labelling script, cp2k.psmp) is SIGKILLed after the first CP2K
    frame of a chunk; the rerun of the same target labels only the frames left, and the dataset
    holds CP2K's own energies (a direct single point on the frame labelled before the kill)."""
    workdir = copy_workflow(tmp_path / "wf")
    config = _licl_config(workdir)
    target = "results/cp2k/dataset/licl/summary.json"
    args = [target, "--configfile", "config/cp2k.yaml", "--cores", "1"]
    env = dict(os.environ, PATH=f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}")
    index = workdir / "results/cp2k/reference/licl/labelled/chunk0.extxyz.partial.json"
    with open(tmp_path / "killed_job.txt", "w") as handle:
        job = subprocess.Popen([*SNAKEMAKE, *args], cwd=workdir, stdout=handle, stderr=subprocess.STDOUT, env=env)
    deadline = time.time() + 600

    def cp2k_running_after_a_finished_frame():
        try:
            family = [*psutil.Process(job.pid).children(recursive=True), psutil.Process(job.pid)]
            started = index.is_file() and json.loads(index.read_text())["done"] >= 1
            return family if started and any(member.name().startswith("cp2k") for member in family) else None
        except (psutil.NoSuchProcess, json.JSONDecodeError):  # a process ended, the index being replaced
            return None

    while not (family := cp2k_running_after_a_finished_frame()):
        assert job.poll() is None, (tmp_path / "killed_job.txt").read_text()[-4000:]
        assert time.time() < deadline, "no CP2K frame labelled within 600 s"
        time.sleep(0.05)
    for member in family:  # as a walltime does: everything at once, cp2k.psmp in mid-frame
        member.send_signal(signal.SIGKILL)
    psutil.wait_procs(family, timeout=30)
    done = json.loads(index.read_text())["done"]
    assert 1 <= done < 3 and not (workdir / target).exists()

    snakemake(["--unlock", *args], workdir)  # a killed Snakemake leaves its lock
    snakemake(args, workdir)

    summary = json.loads((workdir / target).read_text())
    assert (summary["reference"], summary["frames_total"], summary["frames_usable"]) == ("cp2k", 3, 3)
    log = (workdir / "results/cp2k/logs/reference/licl/labelled/chunk0.log").read_text()
    assert f"after {done} finished frames" in log
    labelled = read(workdir / "results/cp2k/reference/licl/labelled/chunk0.extxyz", index=":")
    first = labelled[0].copy()
    first.calc = make_calculator(config["labelling"]["reference"])
    assert first.get_potential_energy() == pytest.approx(labelled[0].get_potential_energy(), abs=1e-6)
    energies = np.concatenate(
        [np.load(p) for p in (workdir / "results/cp2k/dataset/licl").glob("*/set.000/energy.npy")]
    )
    assert np.sort(energies) == pytest.approx(np.sort([a.get_potential_energy() for a in labelled]), abs=1e-6)
