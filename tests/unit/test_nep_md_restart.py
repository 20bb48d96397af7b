"""Study B MD in restartable chunks: the plan, the CPUNEP checkpoint and a killed-and-resumed
CPUNEP run (NEP89, 3 atoms) against an uninterrupted one; the GPUMD path with a stand-in
``gpumd`` executable that moves atoms at their velocities, killed in its third chunk."""

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from ase.build import bulk
from ase.io import read

import ionflow.md.cpunep as cpunep
import ionflow.md.nep as nep_md
from ionflow.md.cpunep import load_checkpoint, save_checkpoint
from ionflow.md.nep import run_md
from ionflow.md.nep_inputs import Chunk, MDSettings, Stage, plan_chunks
from ionflow.plan import Condition
from tests.unit.stand_ins import put_on_path

ROOT = Path(__file__).resolve().parents[2]
NEP89 = ROOT / "external" / "nep89.txt"
NPT = Condition("npt", 900, 1000)
SETTINGS = MDSettings(
    timestep_fs=1.0,
    tau_T_fs=100,
    tau_p_fs=1000,
    elastic_GPa=100,
    correct_velocity_every=10,
    thermo_every=10,
    seed=3,
    chunk_steps=40,
)
# equilibration 40 steps, production 100 steps with a frame every 10: chunks 0-40 | 0-40, 40-80, 80-100
STAGES = [Stage(NPT, 40), Stage(NPT, 100, 10)]


def test_every_stage_is_cut_into_chunks_and_the_last_is_shorter():
    plan = plan_chunks([Stage(NPT, 50), Stage(NPT, 500, 20)], chunk_steps=200)
    assert [(c.index, c.stage, c.start_step, c.end_step) for c in plan] == [
        (0, 0, 0, 50),
        (1, 1, 0, 200),
        (2, 1, 200, 400),
        (3, 1, 400, 500),
    ]
    assert [c.outputs(20) for c in plan[1:]] == [10, 10, 5]  # 500 / 20 frames, none twice
    assert [c.name for c in plan_chunks([Stage(NPT, 0), Stage(NPT, 500, 20)], 0)] == ["chunk_0000"]
    assert Chunk(7, 1, 30, 70).outputs(20) == 2  # steps 40 and 60


def test_a_chunk_must_end_on_an_output_step(tmp_path):
    settings = MDSettings(1.0, 100, 1000, 100, 10, thermo_every=20, seed=1, chunk_steps=30)
    with pytest.raises(ValueError, match="chunk_ps.*30 steps.*20 steps.*multiple of dump_every_fs"):
        run_md(bulk("ZrO2", "fluorite", a=5.1), NEP89, [Stage(NPT, 100, 20)], settings, tmp_path, tmp_path / "log")


def test_checkpoint_restores_state_and_random_stream_bit_for_bit(tmp_path):
    system = bulk("ZrO2", "fluorite", a=5.1)
    rng = np.random.default_rng(5)
    system.set_momenta(rng.normal(size=(3, 3)))
    rng.standard_normal(7)
    save_checkpoint(system, rng, tmp_path / "checkpoint.npz")
    restored = bulk("ZrO2", "fluorite", a=5.3)
    restored_rng = load_checkpoint(tmp_path / "checkpoint.npz", restored)
    assert np.array_equal(restored.get_momenta(), system.get_momenta())
    assert np.array_equal(restored.positions, system.positions) and np.array_equal(restored.cell, system.cell)
    assert np.array_equal(restored.get_masses(), system.get_masses())
    assert restored_rng.standard_gamma(0.5, 4).tolist() == rng.standard_gamma(0.5, 4).tolist()


class Walltime(Exception):
    """Stands in for the scheduler's kill."""


def test_killed_cpunep_run_resumes_and_matches_the_uninterrupted_run(tmp_path, monkeypatch):
    """NPT, then NVT with frames: the resumed chunks need the checkpoint's cell and the Bussi random stream."""
    atoms = bulk("ZrO2", "fluorite", a=5.1)
    stages = [Stage(NPT, 40), Stage(Condition("nvt", 900), 100, 10)]
    whole = run_md(atoms, NEP89, stages, replace(SETTINGS, chunk_steps=0), tmp_path / "whole", tmp_path / "log")
    chunked = run_md(atoms, NEP89, stages, SETTINGS, tmp_path / "chunked", tmp_path / "log")

    killed, ran, rows = tmp_path / "killed", [], []
    killed.mkdir()
    real_row, real_chunk = cpunep.thermo_row, nep_md.run_cpunep_chunk

    def row_until_walltime(system):
        rows.append(1)
        if len(rows) == 10:  # rows 1-4 in chunk 0, 5-8 in chunk 1, row 10 in the middle of chunk 2
            raise Walltime
        return real_row(system)

    monkeypatch.setattr(cpunep, "thermo_row", row_until_walltime)
    with pytest.raises(Walltime):
        run_md(atoms, NEP89, stages, SETTINGS, killed, tmp_path / "log")
    assert sorted(p.name for p in (killed / "chunks").iterdir()) == [
        "chunk_0000",
        "chunk_0001",
        "chunk_0002.tmp",
        "run.json",
    ]
    assert not (killed / "dump.xyz").exists()

    def recorded(system, rng, stage, chunk, *args):
        ran.append(chunk.index)
        return real_chunk(system, rng, stage, chunk, *args)

    monkeypatch.setattr(cpunep, "thermo_row", real_row)
    monkeypatch.setattr(nep_md, "run_cpunep_chunk", recorded)
    resumed = run_md(atoms, NEP89, stages, SETTINGS, killed, tmp_path / "log")
    assert ran == [2, 3]  # finished chunks are not recomputed
    assert whole == chunked == resumed == 10
    frames = {name: read(tmp_path / name / "dump.xyz", ":") for name in ("whole", "chunked", "killed")}
    times = [f.info["time_ps"] for f in frames["killed"]]
    assert times == pytest.approx(0.040 + 0.010 * np.arange(1, 11))  # after 40 fs equilibration
    for name in ("whole", "chunked"):  # the random stream is restored, so the trajectories are the same
        assert all(
            np.array_equal(a.positions, b.positions) and np.array_equal(a.cell, b.cell)
            for a, b in zip(frames[name], frames["killed"])
        )
        assert (tmp_path / name / "thermo.out").read_text() == (killed / "thermo.out").read_text()
    assert len((killed / "thermo.out").read_text().splitlines()) == 14
    assert not (killed / "chunks").exists()


def test_a_failed_potential_ends_the_run_with_the_frames_so_far(tmp_path):
    """Zr-O is 2.2 Å in fluorite: a 2.5 Å limit stops the run at production's first frame."""
    settings = replace(SETTINGS, min_distance_A=2.5)
    assert run_md(bulk("ZrO2", "fluorite", a=5.1), NEP89, STAGES, settings, tmp_path, tmp_path / "log") == 0
    assert (tmp_path / "dump.xyz").read_text() == ""
    assert len((tmp_path / "thermo.out").read_text().splitlines()) == 4 + 1  # equilibration, then step 10
    assert not (tmp_path / "chunks").exists()


FAKE_GPUMD = '''#!{python}
"""Stand-in for gpumd: the atoms drift at their velocity (0.001 A/fs along x when drawn). With
FAKE_GPUMD_KILL=k, call k SIGKILLs its whole process group half-way through its dump (a walltime)."""
import os, re, signal, sys
from pathlib import Path

log = Path(os.environ["FAKE_GPUMD_LOG"])
call = log.read_text().count("call\\n") if log.exists() else 0
run_in, lines = Path("run.in").read_text(), Path("model.xyz").read_text().splitlines()
with log.open("a") as out:
    out.write("call\\n" + run_in + "model " + lines[1] + "\\n")
keywords = {{line.split()[0]: line.split()[1:] for line in run_in.splitlines()}}
fields = re.search(r"Properties=(\\S+)", lines[1]).group(1).split(":")
widths = [int(w) for w in fields[2::3]]
column = {{name: sum(widths[:k]) for k, name in enumerate(fields[0::3])}}
rows = [line.split() for line in lines[2:2 + int(lines[0])]]
if "vel" in column:
    velocities = [float(row[column["vel"]]) for row in rows]
elif "velocity" in keywords:
    velocities = [0.001] * len(rows)
else:
    sys.exit("velocities undefined")
lattice = re.search(r'Lattice="([^"]+)"', lines[1]).group(1)
dt, steps = float(keywords["time_step"][0]), int(keywords["run"][0])

def atoms(step):
    for row, v in zip(rows, velocities):
        x, y, z = (float(row[column["pos"] + k]) for k in range(3))
        yield row[0], x + v * step * dt, y, z, v

dump_every = int(keywords.get("dump_xyz", [0])[0])
with open("dump.xyz", "w") as dump:
    for step in range(dump_every, steps + 1, dump_every) if dump_every else []:
        if call == int(os.environ.get("FAKE_GPUMD_KILL", -1)) and 2 * step > steps:
            dump.flush()
            os.killpg(os.getpgid(0), signal.SIGKILL)
        dump.write(f'{{len(rows)}}\\nTime={{step * dt:.8f}} Lattice="{{lattice}}" Properties=species:S:1:pos:R:3\\n')
        dump.writelines(f"{{s}} {{x:.10f}} {{y:.10f}} {{z:.10f}}\\n" for s, x, y, z, v in atoms(step))
with open("thermo.out", "w") as thermo:
    thermo.write(f"# dump_thermo {{keywords['dump_thermo'][0]}}\\n")
    for step in range(int(keywords["dump_thermo"][0]), steps + 1, int(keywords["dump_thermo"][0])):
        thermo.write("900 1 -1 0 0 0 0 0 0 " + lattice + "\\n")
with open("restart.xyz", "w") as restart:
    restart.write(f'{{len(rows)}}\\npbc="T T T" Lattice="{{lattice}}" '
                  "Properties=species:S:1:pos:R:3:mass:R:1:vel:R:3\\n")
    restart.writelines(f"{{s}} {{x:.10f}} {{y:.10f}} {{z:.10f}} 1 {{v}} 0 0\\n" for s, x, y, z, v in atoms(steps))
'''


@pytest.fixture
def fake_gpumd(tmp_path, monkeypatch):
    """A ``gpumd`` on PATH; returns the file that records each call's run.in and model.xyz header."""
    put_on_path("gpumd", FAKE_GPUMD, tmp_path / "bin", monkeypatch)
    monkeypatch.setenv("FAKE_GPUMD_LOG", str(tmp_path / "calls.log"))
    (tmp_path / "nep.txt").write_text("nep4 stand-in\n")
    return tmp_path / "calls.log"


def _sigkilled_gpumd_job(tmp_path: Path, run: Path, call: int = 2) -> None:
    """The GPUMD run of the tests below as a job of its own (ionflow's driver in a new process
    group, the stand-in under it), SIGKILLed whole by the stand-in half-way through its ``call``-th
    chunk. FAKE_GPUMD_KILL is set for that job only: the stand-in kills its process group."""
    code = (
        "import sys; from dataclasses import replace; from ase.build import bulk; from ionflow.md.nep import run_md\n"
        "from tests.unit.test_nep_md_restart import SETTINGS, STAGES\n"
        "run_md(bulk('ZrO2', 'fluorite', a=5.1), sys.argv[1], STAGES, replace(SETTINGS, engine='gpumd'), "
        "sys.argv[2], sys.argv[3])\n"
    )
    args = [sys.executable, "-c", code, str(tmp_path / "nep.txt"), str(run), str(tmp_path / "log")]
    env = dict(os.environ, FAKE_GPUMD_KILL=str(call))
    killed = subprocess.run(args, cwd=ROOT, env=env, start_new_session=True, capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]  # the driver died with its engine


def _calls(calls_log: Path) -> list[list[str]]:
    return [call.splitlines() for call in calls_log.read_text().split("call\n")[1:]]


def test_killed_gpumd_run_continues_from_the_last_restart_with_velocities(tmp_path, fake_gpumd):
    """The job (ionflow's driver and the engine under it) is SIGKILLed mid-chunk, as by a walltime."""
    atoms, run = bulk("ZrO2", "fluorite", a=5.1), tmp_path / "run"
    settings = replace(SETTINGS, engine="gpumd")
    run.mkdir()
    _sigkilled_gpumd_job(tmp_path, run)  # the third chunk (production steps 40-80) dies half-way
    assert sorted(p.name for p in (run / "chunks").iterdir()) == [
        "chunk_0000",
        "chunk_0001",
        "chunk_0002.tmp",
        "run.json",
    ]
    assert run_md(atoms, tmp_path / "nep.txt", STAGES, settings, run, tmp_path / "log") == 10

    calls = _calls(fake_gpumd)
    assert len(calls) == 5  # chunks 0, 1, 2 (killed), then only 2 and 3
    done = [calls[k] for k in (0, 1, 3, 4)]
    assert done[0][:3] == ["potential nep.txt", "velocity 900", "time_step 1"]
    scr = "ensemble npt_scr 900 900 100 0.1 0.1 0.1 0 0 0 100 100 100 100 100 100 1000"
    assert done[2][:-1] == [
        "potential nep.txt",
        "time_step 1",
        scr,
        "correct_velocity 10",
        "dump_thermo 10",
        "dump_xyz 10 dump.xyz",
        "dump_restart 40",
        "run 40",
    ]
    for call in done[1:]:  # continuations: velocities from restart.xyz
        assert not any(line.startswith("velocity") for line in call) and ":vel:R:3" in call[-1]
    runs = [int(line.split()[1]) for call in done for line in call if line.startswith("run ")]
    assert runs == [40, 40, 40, 20] and sum(runs) == 40 + 100
    assert all(f"dump_restart {n}" in call for n, call in zip(runs, done))

    frames = read(run / "dump.xyz", ":")
    times = [f.info["Time"] for f in frames]
    assert times == pytest.approx(40 + 10 * np.arange(1, 11))  # fs, continuous over the chunks
    x = np.array([f.positions[0, 0] for f in frames])
    assert x == pytest.approx(atoms.positions[0, 0] + 0.001 * np.array(times), abs=1e-9)  # never restarted
    thermo = (run / "thermo.out").read_text().splitlines()
    assert len(thermo) == 4 + 10 and not any(line.startswith("#") for line in thermo)
    assert (run / "run.in").read_text().count("run ") == 2 and "dump_restart" not in (run / "run.in").read_text()
    assert not (run / "chunks").exists()


def test_chunks_of_other_settings_are_not_reused(tmp_path, fake_gpumd):
    atoms, run = bulk("ZrO2", "fluorite", a=5.1), tmp_path / "run"
    settings = replace(SETTINGS, engine="gpumd")
    run.mkdir()
    _sigkilled_gpumd_job(tmp_path, run)
    (tmp_path / "nep.txt").write_text("nep4 retrained\n")
    run_md(atoms, tmp_path / "nep.txt", STAGES, settings, run, tmp_path / "log")
    assert len(_calls(fake_gpumd)) == 3 + 4  # the new model reruns every chunk


KILL_SCRIPT = """
import sys
from dataclasses import replace
from ase.build import bulk
from ionflow.md.nep import run_md
from ionflow.md.nep_inputs import Stage
from ionflow.plan import Condition
from tests.unit.test_nep_md_restart import NEP89, NPT, SETTINGS
stages = [Stage(NPT, 40), Stage(Condition("nvt", 900), 400, 20)]
run_md(bulk("ZrO2", "fluorite", a=5.1, cubic=True).repeat(2), NEP89, stages, SETTINGS, sys.argv[1], sys.argv[2])
"""


def test_a_sigkilled_cpunep_process_resumes_to_the_uninterrupted_trajectory(tmp_path):
    """The real fault: a separate process SIGKILLed once its third chunk is written, then the same run again."""
    atoms = bulk("ZrO2", "fluorite", a=5.1, cubic=True).repeat(2)
    stages = [Stage(NPT, 40), Stage(Condition("nvt", 900), 400, 20)]
    killed = tmp_path / "killed"
    process = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(killed), str(tmp_path / "killed.log")],
        cwd=ROOT,
        start_new_session=True,
    )
    second = killed / "chunks" / "chunk_0002"
    deadline = time.monotonic() + 600
    while not second.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the run ended before it could be killed; give it more steps"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert not (killed / "dump.xyz").exists()
    assert run_md(atoms, NEP89, stages, SETTINGS, killed, tmp_path / "log") == 20
    assert run_md(atoms, NEP89, stages, SETTINGS, tmp_path / "whole", tmp_path / "log") == 20
    resumed, whole = read(killed / "dump.xyz", ":"), read(tmp_path / "whole" / "dump.xyz", ":")
    assert all(np.array_equal(a.positions, b.positions) for a, b in zip(resumed, whole))
    assert (killed / "thermo.out").read_text() == (tmp_path / "whole" / "thermo.out").read_text()
