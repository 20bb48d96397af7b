"""GPUMD nep training resumes from nep.restart with only the generations left, tested with a
stand-in ``nep`` executable that keeps one SNES number (+1 per generation) in nep.restart."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ionflow.potentials.nep.train import NEP_RUN, train_nep
from tests.unit.stand_ins import put_on_path

FAKE_NEP = '''#!{python}
"""Stand-in for GPUMD's nep: continues from nep.restart, runs nep.in's generations, appends to loss.out.
With FAKE_NEP_KILL=mu it SIGKILLs its whole process group half-way through a loss.out row (a walltime)."""
import os, signal
from pathlib import Path

keys = {{line.split()[0]: line.split()[1:] for line in Path("nep.in").read_text().splitlines() if line.strip()}}
generations, interval = int(keys["generation"][0]), int(keys["output_interval"][0])
mu = float(Path("nep.restart").read_text()) if Path("nep.restart").exists() else 0.0
with open(os.environ["FAKE_NEP_LOG"], "a") as calls:
    calls.write(f"generation {{generations}} from {{mu:g}} with {{Path('train.xyz').read_text()}}\\n")
with open("loss.out", "a") as loss:
    for n in range(generations):
        mu += 1
        if (n + 1) % interval == 0:
            loss.write(f"{{n + 1}} {{1 / mu:.6f}} 0 0\\n")
            Path("nep.txt").write_text(f"nep4 mu={{mu:g}}\\n")
            Path("nep.restart").write_text(f"{{mu:g}}\\n")
        if mu == int(os.environ.get("FAKE_NEP_KILL", -1)):
            loss.write("99 0.0")
            loss.flush()
            os.killpg(os.getpgid(0), signal.SIGKILL)
'''


@pytest.fixture
def member(tmp_path, monkeypatch):
    """A committee member's directory (50 generations, a report every 10) and a stand-in nep on PATH."""
    member = tmp_path / "model1"
    member.mkdir()
    put_on_path("nep", FAKE_NEP, tmp_path / "bin", monkeypatch)
    monkeypatch.setenv("FAKE_NEP_LOG", str(tmp_path / "calls.log"))
    (member / "nep.in").write_text("type 2 Zr O\ngeneration 50\noutput_interval 10\n")
    (member / "train.xyz").write_text("train-a")
    (member / "test.xyz").write_text("test")
    return member


ROOT = Path(__file__).resolve().parents[2]


def _sigkilled_training_job(member: Path, kill_at: int) -> None:
    """``train_nep`` of ``member`` as a job of its own (ionflow's driver in a new process group, the
    stand-in nep under it), SIGKILLed whole by the stand-in when its SNES number reaches ``kill_at``."""
    code = "import sys; from pathlib import Path; from ionflow.potentials.nep.train import train_nep\n"
    code += "train_nep(Path(sys.argv[1]), 'nep')\n"
    env = dict(os.environ, FAKE_NEP_KILL=str(kill_at))
    args = [sys.executable, "-c", code, str(member)]
    killed = subprocess.run(args, cwd=ROOT, env=env, start_new_session=True, capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]  # the driver died with its engine


def test_killed_nep_training_continues_with_the_generations_left(member):
    calls = member.parent / "calls.log"
    _sigkilled_training_job(member, 35)  # last nep.restart at generation 30, a row cut in loss.out
    assert not (member / "nep.txt").exists() and (member / NEP_RUN / "nep.restart").read_text() == "30\n"
    assert (member / NEP_RUN / "loss.out").read_text().endswith("30 0.033333 0 0\n99 0.0")

    assert train_nep(member, "nep")["resumed_at_generation"] == 30
    assert calls.read_text().splitlines() == ["generation 50 from 0 with train-a", "generation 20 from 30 with train-a"]
    assert (member / "nep.txt").read_text() == "nep4 mu=50\n"
    assert (member / "loss.out").read_text().splitlines() == [
        f"{g} {1 / g:.6f} 0 0" for g in (10, 20, 30, 40, 50)
    ]  # one curve, no restart at generation 0
    assert (member / NEP_RUN / "nep.in").read_text() == "type 2 Zr O\noutput_interval 10\ngeneration 20\n"
    assert (member / "nep.in").read_text().count("generation 50") == 1  # the declared input is left alone

    assert train_nep(member, "nep")["resumed_at_generation"] == 50  # done: nep is not started again
    assert len(calls.read_text().splitlines()) == 2


def test_nep_training_of_other_data_starts_over(member):
    calls = member.parent / "calls.log"
    _sigkilled_training_job(member, 35)
    (member / "train.xyz").write_text("train-b")  # a new iteration's data in the same directory
    assert train_nep(member, "nep")["resumed_at_generation"] == 0
    assert calls.read_text().splitlines()[-1] == "generation 50 from 0 with train-b"
    assert (member / "loss.out").read_text().splitlines()[0] == f"10 {1 / 10:.6f} 0 0"


def test_warm_start_continues_from_the_previous_iterations_nep_restart(member, tmp_path):
    previous = tmp_path / "iter0_model1"
    (previous / NEP_RUN).mkdir(parents=True)
    (previous / NEP_RUN / "nep.restart").write_text("30\n")
    (previous / "nep.txt").write_text("nep4 mu=30\n")
    assert train_nep(member, "nep", init=previous / "nep.txt")["warm_start"] == str(previous / "nep.txt")
    assert (tmp_path / "calls.log").read_text().splitlines() == ["generation 50 from 30 with train-a"]
    assert (member / "nep.txt").read_text() == "nep4 mu=80\n"


def test_warm_start_without_the_previous_nep_restart_names_it(member, tmp_path):
    with pytest.raises(FileNotFoundError, match="iter0_model1/nep_run/nep.restart"):
        train_nep(member, "nep", init=tmp_path / "iter0_model1" / "nep.txt")
