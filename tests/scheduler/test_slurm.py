"""The shipped SLURM profile on a real SLURM (munged, slurmctld and slurmd started here, one node
with a GPU gres): GPU rules are submitted to the GPU partition with a GPU, every other job to the
CPU partition without one, with the memory and time their rules ask for; grouped reference runs
share one SLURM job; a chunked MD job that SLURM kills at its time limit is resubmitted by
Snakemake's retries and finishes from its chunks; the targets are built by jobs that ran under SLURM."""

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
TRAJECTORY = "results/study_a/md/beta/T1050/seed11/traj.lammpstrj"
TARGETS = ["results/study_a/models/beta/model.pb", TRAJECTORY]
GPU_RULES = {"train_deepmd", "lammps_md"}
# lammps_md gets a 1-minute limit for MD that takes longer (config.yaml beside this file): SLURM
# kills it at its walltime and Snakemake resubmits it until its chunks are all done.
TIMED_OUT_RULE, TIME_LIMIT_MIN = "lammps_md", 1
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
    # A --set-resources on the command line replaces the profile's whole set-resources: repeat
    # the profile's (GPU partitions and gres) and add the short time limit.
    "--set-resources",
    *(f"{rule}:{key}={value}" for rule, wanted in PROFILE["set-resources"].items() for key, value in wanted.items()),
    f"{TIMED_OUT_RULE}:runtime={TIME_LIMIT_MIN}",
    "--retries",
    "5",
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
    args = [*RUN_OPTIONS, *TARGETS, "--configfile", "config/config.yaml", str(CONFIG_OVERLAY)]
    asked = dry_run_resources(args, workdir)
    started = time.monotonic()
    result = snakemake(args, workdir, check=False)
    print(f"snakemake --profile profiles/slurm: {time.monotonic() - started:.0f} s")
    if result.returncode != 0:
        pytest.fail(f"snakemake failed:\n{result.stderr[-6000:]}\n{cluster.logs()}")
    jobs = [dict(record, rule=rule_of(record)) for record in cluster.job_records()]
    print("\n".join(brief(job) for job in jobs))
    return workdir, jobs, asked


def dry_run_resources(args: list[str], cwd: Path) -> dict[str, dict[str, str]]:
    """Per rule, the ``resources:`` a dry run with ``args`` lists for its jobs (what the rules and
    the profile ask of SLURM)."""
    output = snakemake(["-n", *args], cwd).stdout
    asked, rule = {}, None
    for line in output.splitlines():
        match = re.match(r"^\s*(?:local)?rule (\w+):", line)  # indented: a member of a group job
        if match:
            rule = match.group(1)
        resources = re.match(r"^\s+resources: (.*)", line)
        if resources and rule:
            asked[rule] = dict(item.split("=", 1) for item in resources.group(1).split(", "))
    return asked


def minutes(time_limit: str) -> int:
    """SLURM's [days-]hours:minutes:seconds as whole minutes."""
    days, _, clock = time_limit.rpartition("-")
    hours, mins, _ = (int(part) for part in clock.split(":"))
    return (int(days) if days else 0) * 1440 + hours * 60 + mins


def rule_of(record: dict[str, str]) -> str:
    """The executor's --comment: rule_<rule>[_wildcards_<values>], or rule_<group>_<rules>."""
    return re.fullmatch(r"rule_(.+?)(?:_wildcards_.*)?", record["Comment"]).group(1)


def brief(job: dict[str, str]) -> str:
    """What an assertion message needs of a job record."""
    keys = ("rule", "JobId", "Partition", "Account", "NumCPUs", "MinMemoryNode", "TimeLimit", "TresPerJob", "JobState")
    return ", ".join(f"{key}={job.get(key)}" for key in keys)


def gpu_requests(record: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in record.items() if "tres" in key.lower() and "gpu" in value}


def test_targets_were_built_by_slurm_jobs(run):
    workdir, jobs, _ = run
    assert all((workdir / target).is_file() for target in TARGETS)
    assert jobs
    for job in jobs:
        if job["rule"] == TIMED_OUT_RULE and job["JobState"] == "TIMEOUT":
            continue
        assert job["JobState"] == "COMPLETED" and job["ExitCode"] == "0:0", brief(job)


def test_a_job_killed_at_its_time_limit_is_resubmitted_and_resumes_from_its_chunks(run):
    workdir, jobs, _ = run
    attempts = sorted((job for job in jobs if job["rule"] == TIMED_OUT_RULE), key=lambda job: int(job["JobId"]))
    states = [job["JobState"] for job in attempts]
    assert "TIMEOUT" in states[:-1] and states[-1] == "COMPLETED", [brief(job) for job in attempts]
    assert all(minutes(job["TimeLimit"]) == TIME_LIMIT_MIN for job in attempts), [brief(job) for job in attempts]
    log = (workdir / "results/study_a/logs/md/beta/T1050/seed11.log").read_text()
    assert "resuming after chunk" in log
    default = yaml.safe_load((ROOT / "config/config.yaml").read_text())["md"]
    settings = default | yaml.safe_load(CONFIG_OVERLAY.read_text())["md"]
    every = round(settings["dump_every_fs"] / settings["timestep_fs"])
    steps = [int(block.split("\n", 1)[0]) for block in (workdir / TRAJECTORY).read_text().split("ITEM: TIMESTEP\n")[1:]]
    assert steps == list(range(steps[0], steps[0] + every * len(steps), every)), "frames lost or repeated"
    assert len(steps) == round(1000 * settings["production_ps"] / settings["dump_every_fs"]) + 1


def test_gpu_rules_get_a_gpu_in_the_gpu_partition(run):
    _, jobs, _ = run
    assert GPU_RULES <= {job["rule"] for job in jobs}
    for job in (job for job in jobs if job["rule"] in GPU_RULES):
        wanted = PROFILE["set-resources"][job["rule"]]
        assert job["Partition"] == wanted["slurm_partition"], brief(job)
        assert job["TresPerJob"] == f"gres:gpu:{wanted['gpu']}", brief(job)
        assert job["Account"] == ACCOUNT, brief(job)


def test_cpu_rules_get_no_gpu_in_the_cpu_partition(run):
    _, jobs, _ = run
    cpu_jobs = [job for job in jobs if job["rule"] not in GPU_RULES]
    assert len(cpu_jobs) >= 3, [brief(job) for job in jobs]
    for job in cpu_jobs:
        assert job["Partition"] == CPU_PARTITION, brief(job)
        assert not gpu_requests(job), brief(job)
        assert job["Account"] == ACCOUNT, brief(job)


def test_every_job_gets_the_memory_and_time_its_rule_asks_for(run):
    _, jobs, asked = run
    checked = 0
    for job in jobs:
        if job["rule"] not in asked:  # a group job: checked below
            continue
        wanted = asked[job["rule"]]
        assert job["MinMemoryNode"] == f"{int(wanted['mem_mb'])}M", brief(job)
        assert minutes(job["TimeLimit"]) == int(wanted["runtime"]), brief(job)
        checked += 1
    assert checked >= 4, [brief(job) for job in jobs]


def test_grouped_reference_runs_share_one_slurm_job(run):
    _, jobs, asked = run
    group = PROFILE["groups"]["aimd"]
    n_aimd = len(yaml.safe_load(CONFIG_OVERLAY.read_text())["aimd"]["temperatures"])
    assert "aimd" in asked and n_aimd >= 2
    grouped = [job for job in jobs if job["rule"].startswith(group)]
    assert len(grouped) == 1, [brief(job) for job in jobs]
    assert not [job for job in jobs if job["rule"] == "aimd"], "an aimd job ran outside its group"
    assert int(grouped[0]["NumCPUs"]) >= n_aimd, brief(grouped[0])
    # the members run side by side: their memory adds up, the time limit is one member's
    assert grouped[0]["MinMemoryNode"] == f"{n_aimd * int(asked['aimd']['mem_mb'])}M", brief(grouped[0])
    assert minutes(grouped[0]["TimeLimit"]) == int(asked["aimd"]["runtime"]), brief(grouped[0])
