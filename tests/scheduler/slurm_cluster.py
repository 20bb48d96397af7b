"""A real single-node SLURM cluster (munged, slurmctld, slurmd) in a temporary folder.

Everything it writes (configs, state, spool, logs, pid files, munge key and socket) lives under
one folder, the daemons listen on free ports and clients find them through ``SLURM_CONF`` (run
them with ``cluster.env``), so it touches neither /etc/slurm nor a munged or SLURM already running
on the machine. Daemons are stopped by the pids in their pid files. Needs root and Debian's
``slurm-wlm`` and ``munge`` (``make system-deps``).
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

NODE = "localhost"
BINARIES = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "scancel", "sinfo")
# Finished jobs stay in slurmctld this long: the executor's squeue status queries and the test's
# `scontrol show job` read them there (no accounting database). Longer than any test run.
MIN_JOB_AGE_S = 3600


def unavailable_reason() -> str | None:
    """Why the cluster cannot run here, or None."""
    if os.geteuid() != 0:
        return "a local slurmctld/slurmd needs root"
    missing = [b for b in BINARIES if shutil.which(b) is None]
    if missing:
        return f"SLURM not installed ({', '.join(missing)} missing): `make system-deps` installs slurm-wlm and munge"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _node_memory_mb() -> int:
    """Half the machine's memory, at most 16 GB: enough for the rules' 4 GB jobs, two at a time."""
    total_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return min(16000, total_kb // 2048)


def slurm_conf(root: Path, partitions: list[str], ctld_port: int, slurmd_port: int, cpus: int, memory_mb: int) -> str:
    """Every partition holds the one node; the first is the default."""
    partition_lines = "\n".join(
        f"PartitionName={name} Nodes={NODE} MaxTime=INFINITE State=UP{' Default=YES' if i == 0 else ''}"
        for i, name in enumerate(partitions)
    )
    return f"""\
ClusterName=ionflowtest
MailProg=/bin/true
SlurmctldHost={socket.gethostname()}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={root / "munge" / "munge.socket"}
StateSaveLocation={root / "state"}
SlurmdSpoolDir={root / "spool"}
SlurmctldPidFile={root / "slurmctld.pid"}
SlurmdPidFile={root / "slurmd.pid"}
SlurmctldLogFile={root / "log" / "slurmctld.log"}
SlurmdLogFile={root / "log" / "slurmd.log"}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
MinJobAge={MIN_JOB_AGE_S}
# A job past its time limit gets SIGTERM, then SIGKILL this many seconds later.
KillWait=5
# A job larger than the node fails at sbatch instead of pending for ever (the test would hang).
EnforcePartLimits=ALL
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
GresTypes=gpu
NodeName={NODE} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={memory_mb} Gres=gpu:1 State=UNKNOWN
{partition_lines}
"""


# A GPU gres needs a device file; /dev/null stands in (a count-only gres leaves the node INVAL).
GRES_CONF = f"AutoDetect=off\nNodeName={NODE} Name=gpu File=/dev/null\n"


class SlurmCluster:
    """``start()`` brings the daemons up and waits for an idle node; ``stop()`` always cleans up."""

    def __init__(self, partitions: list[str]) -> None:
        self.partitions = partitions
        self.root = Path(tempfile.mkdtemp(prefix="ionflow-slurm-"))
        self.root.chmod(0o755)  # munged runs as the munge user and must reach its folder
        self.conf = self.root / "slurm.conf"
        self.bin = self.root / "bin"
        self.env = dict(os.environ, SLURM_CONF=str(self.conf), PATH=f"{self.bin}{os.pathsep}{os.environ['PATH']}")
        self.startup_s: float | None = None

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(command, env=self.env, capture_output=True, text=True, check=check, timeout=60)

    def _daemon(self, *command: str, **options) -> None:
        """Start a daemon that forks into the background; its parent returns once it is up."""
        result = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=60, **options)
        if result.returncode != 0:
            raise RuntimeError(f"{command[0]} failed ({result.returncode}): {result.stderr}\n{self.logs()}")

    def _wait(self, what: str, ready, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while not ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"SLURM: {what} not reached in {timeout_s:.0f} s\n{self.logs()}")
            time.sleep(0.5)

    def start(self) -> None:
        started = time.monotonic()
        for folder in ("state", "spool", "log", "bin"):
            (self.root / folder).mkdir()
        self._write_srun_wrapper()
        self._start_munge()
        self.conf.write_text(
            slurm_conf(self.root, self.partitions, _free_port(), _free_port(), os.cpu_count() or 1, _node_memory_mb())
        )
        (self.root / "gres.conf").write_text(GRES_CONF)
        self._daemon("slurmctld", "-c", "-f", str(self.conf))
        self._wait("slurmctld answering", lambda: "UP" in self._run("scontrol", "ping", check=False).stdout)
        self._daemon("slurmd", "-f", str(self.conf), "-N", NODE)
        self._wait("an idle node", self._node_idle)
        self.startup_s = time.monotonic() - started

    def _write_srun_wrapper(self) -> None:
        """An ``srun`` first on PATH that puts SLURM_CONF back and runs the real one.

        snakemake-executor-plugin-slurm-jobstep 0.6.1 drops every SLURM_* variable except the
        job's identity before the ``srun`` it runs inside each job, SLURM_CONF included; srun then
        finds no configuration ("Could not establish a configuration source"). Sites with
        /etc/slurm/slurm.conf are not affected; this cluster keeps its config in a temp folder.
        """
        wrapper = self.bin / "srun"
        wrapper.write_text(f'#!/bin/sh\nSLURM_CONF={self.conf} exec {shutil.which("srun")} "$@"\n')
        wrapper.chmod(0o755)

    def _node_idle(self) -> bool:
        states = self._run("sinfo", "-h", "-N", "-o", "%T", check=False).stdout.split()  # one per partition
        return bool(states) and set(states) == {"idle"}

    def _start_munge(self) -> None:
        munge = pwd.getpwnam("munge")
        folder = self.root / "munge"
        folder.mkdir()
        folder.chmod(0o755)  # munged: clients need to reach the socket
        key = folder / "munge.key"
        key.write_bytes(secrets.token_bytes(1024))
        key.chmod(0o600)
        for path in (folder, key):
            os.chown(path, munge.pw_uid, munge.pw_gid)
        self._daemon(
            "munged",
            f"--socket={folder / 'munge.socket'}",
            f"--key-file={key}",
            f"--pid-file={folder / 'munged.pid'}",
            f"--log-file={folder / 'munged.log'}",
            f"--seed-file={folder / 'munged.seed'}",
            user=munge.pw_uid,
            group=munge.pw_gid,
        )

    def stop(self) -> None:
        """Cancel every job of this cluster and wait until slurmd has ended them (their processes
        die with the job, not with slurmd), then end slurmd, slurmctld and munged by pid file."""
        if self.conf.exists() and _alive_from(self.root / "slurmctld.pid"):
            self._run("scancel", "--user=root", check=False)
            deadline = time.monotonic() + 60
            while self._run("squeue", "-h", check=False).stdout.strip() and time.monotonic() < deadline:
                time.sleep(0.5)
        for pid_file in (self.root / "slurmd.pid", self.root / "slurmctld.pid", self.root / "munge" / "munged.pid"):
            _terminate(pid_file)

    def job_records(self) -> list[dict[str, str]]:
        """Every job slurmctld still holds (finished ones for MinJobAge), as key=value fields."""
        output = self._run("scontrol", "show", "job", "--oneliner").stdout
        return [_fields(line) for line in output.splitlines() if line.startswith("JobId=")]

    def logs(self) -> str:
        tails = []
        for log in (
            self.root / "log" / "slurmctld.log",
            self.root / "log" / "slurmd.log",
            self.root / "munge" / "munged.log",
        ):
            if log.exists():
                tails.append(f"--- {log} ---\n" + "\n".join(log.read_text(errors="replace").splitlines()[-20:]))
        return "\n".join(tails)

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _fields(line: str) -> dict[str, str]:
    """``scontrol --oneliner`` fields; values may contain spaces (Command=, Comment=) only up
    to the next ``Key=``."""
    return dict(re.findall(r"(\w[\w/:]*)=(.*?)(?=\s+\w[\w/:]*=|$)", line.strip()))


def _pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().split()[0])
    except (FileNotFoundError, ValueError, IndexError):
        return None


def _alive_from(pid_file: Path) -> bool:
    pid = _pid(pid_file)
    return pid is not None and _alive(pid)


def _terminate(pid_file: Path, timeout_s: float = 20.0) -> None:
    pid = _pid(pid_file)
    if pid is None or not _alive(pid):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout_s
    while _alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.2)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")
