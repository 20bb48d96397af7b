"""CP2K labelling inside the workflow: a non-converging SCF ends in the failures table, not in
the dataset, and the workflow completes."""

import csv
import json
import shutil

import pytest
import yaml

from tests.workflow.helpers import copy_workflow, snakemake

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
