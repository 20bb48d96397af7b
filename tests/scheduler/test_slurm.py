"""The shipped SLURM profile on a real SLURM (munged, slurmctld and slurmd started here, one node
with a GPU gres): GPU rules are submitted to the GPU partition with a GPU, every other job to the
CPU partition without one, and the targets are built by jobs that ran under SLURM."""

import re
import time
from pathlib import Path

import pytest
import yaml

from tests.scheduler.slurm_cluster import SlurmCluster, unavailable_reason
from tests.workflow.helpers import ROOT, copy_workflow, snakemake

pytestmark = [pytest.mark.slurm, pytest.mark.workflow]

# What runs: the targets (before --configfile, which takes every later argument) under the
# config overlay beside this file, and which of the rules that run must get a GPU.
TARGETS = ["results/study_a/models/beta/model.pb"]
GPU_RULES = {"train_deepmd"}
CONFIG_OVERLAY = Path(__file__).with_name("config.yaml")

PROFILE = yaml.safe_load((ROOT / "profiles/slurm/profile.yaml").read_text())
CPU_PARTITION = PROFILE["default-resources"]["slurm_partition"]
ACCOUNT = PROFILE["default-resources"]["slurm_account"]
GPU_PARTITIONS = {PROFILE["set-resources"][rule]["slurm_partition"] for rule in GPU_RULES}
# The cluster's partitions carry the profile's names, so the profile runs as users get it.
PARTITIONS = [CPU_PARTITION, *sorted(GPU_PARTITIONS - {CPU_PARTITION})]
RUN_OPTIONS = [
    "--profile",
    "profiles/slurm",
    # No conda here, and a profile's method list cannot be emptied: env-modules deploys nothing
    # (no rule has `envmodules:`), so jobs run in the test's environment.
    "--software-deployment-method",
    "env-modules",
    # No accounting database: job states come from slurmctld (squeue) rather than sacct.
    "--slurm-status-command",
    "squeue",
    "--slurm-init-seconds-before-status-checks",
    "1",
]


@pytest.fixture(scope="module")
def cluster():
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    cluster = SlurmCluster(PARTITIONS)
    try:
        cluster.start()
        print(f"\nSLURM up in {cluster.startup_s:.1f} s ({cluster.root})")
        with pytest.MonkeyPatch.context() as patch:
            for name in ("SLURM_CONF", "PATH"):
                patch.setenv(name, cluster.env[name])
            yield cluster
    finally:
        cluster.stop()
        cluster.cleanup()


@pytest.fixture(scope="module")
def run(cluster, tmp_path_factory):
    """Snakemake with the SLURM profile, then every SLURM job record of the run."""
    workdir = copy_workflow(tmp_path_factory.mktemp("slurm"))
    started = time.monotonic()
    result = snakemake(
        [*RUN_OPTIONS, *TARGETS, "--configfile", "config/config.yaml", str(CONFIG_OVERLAY)], workdir, check=False
    )
    print(f"snakemake --profile profiles/slurm: {time.monotonic() - started:.0f} s")
    if result.returncode != 0:
        pytest.fail(f"snakemake failed:\n{result.stderr[-6000:]}\n{cluster.logs()}")
    jobs = [dict(record, rule=rule_of(record)) for record in cluster.job_records()]
    print("\n".join(brief(job) for job in jobs))
    return workdir, jobs


def rule_of(record: dict[str, str]) -> str:
    """The executor's --comment: rule_<rule>[_wildcards_<values>], or rule_<group>_<rules>."""
    return re.fullmatch(r"rule_(.+?)(?:_wildcards_.*)?", record["Comment"]).group(1)


def brief(job: dict[str, str]) -> str:
    """What an assertion message needs of a job record."""
    keys = ("rule", "JobId", "Partition", "Account", "NumCPUs", "MinMemoryNode", "TresPerJob", "JobState")
    return ", ".join(f"{key}={job.get(key)}" for key in keys)


def gpu_requests(record: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in record.items() if "tres" in key.lower() and "gpu" in value}


def test_targets_were_built_by_slurm_jobs(run):
    workdir, jobs = run
    assert all((workdir / target).is_file() for target in TARGETS)
    assert jobs
    for job in jobs:
        assert job["JobState"] == "COMPLETED" and job["ExitCode"] == "0:0", brief(job)


def test_gpu_rules_get_a_gpu_in_the_gpu_partition(run):
    _, jobs = run
    assert GPU_RULES <= {job["rule"] for job in jobs}
    for job in (job for job in jobs if job["rule"] in GPU_RULES):
        wanted = PROFILE["set-resources"][job["rule"]]
        assert job["Partition"] == wanted["slurm_partition"], brief(job)
        assert job["TresPerJob"] == f"gres:gpu:{wanted['gpu']}", brief(job)
        assert job["Account"] == ACCOUNT, brief(job)


def test_cpu_rules_get_no_gpu_in_the_cpu_partition(run):
    _, jobs = run
    cpu_jobs = [job for job in jobs if job["rule"] not in GPU_RULES]
    assert len(cpu_jobs) >= 3, [brief(job) for job in jobs]
    for job in cpu_jobs:
        assert job["Partition"] == CPU_PARTITION, brief(job)
        assert not gpu_requests(job), brief(job)
        assert job["Account"] == ACCOUNT, brief(job)
