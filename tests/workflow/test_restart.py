"""Killed long jobs resume where they stopped (real DeePMD, real LAMMPS, a tiny model).

A tiny Deep Potential is trained for 10 steps, then extended to 20 from its checkpoint. With
it, the `lammps_md` rule runs a chunked NVT run on a copy of the workflow; the whole job
(Snakemake and its children) is killed with SIGKILL while the second production chunk runs,
as a walltime kill would; the rerun must finish the trajectory without redoing a finished
chunk, and give the same trajectory as an uninterrupted run (started beside it on the
other core).
"""

import json
import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import psutil
import pytest
import yaml
from ase.calculators.singlepoint import SinglePointCalculator

from ionflow.config import load_yaml
from ionflow.io import write_frames
from ionflow.md.dumps import dump_frames
from ionflow.potentials.dataset import write_deepmd_npy
from ionflow.potentials.deepmd import (
    TRAIN_DIR,
    ZBL_TABLE_FILE,
    checkpoint_step,
    learning_curve,
    run_dp,
    train,
    training_input,
    zbl_table,
)
from ionflow.potentials.deepmd_data import read_dp_test
from ionflow.reference.foundation import nep89_calculator
from ionflow.structures.orderings import enumerate_orderings, to_atoms
from tests.workflow.helpers import ROOT, SNAKEMAKE, copy_workflow, snakemake

pytestmark = pytest.mark.workflow
R = "results/study_a"
MD_DIR = f"{R}/md/beta/T1000/seed11"
TARGET = f"{MD_DIR}/traj.lammpstrj"
STEP_LOG = f"{R}/logs/md/beta/T1000/seed11.log"
CHUNKS = ["equilibration", "production_001", "production_002", "production_003"]
N_FRAMES = 61  # 0.6 ps sampled every 10 fs, step 0 included

TYPE_MAP = ["Li", "Zr", "Cl"]  # the type order the workflow derives for Li2ZrCl6 (ionflow.plan.type_map)


def _labelled_frames(atoms, n_frames):
    """Rattled copies of ``atoms`` with NEP89 energies, forces and stresses."""
    calculator = nep89_calculator(str(ROOT / "external/nep89.txt"))
    frames = []
    for index in range(n_frames):
        frame = atoms.copy()
        frame.rattle(0.08, seed=index)
        frame.calc = calculator
        labels = dict(energy=frame.get_potential_energy(), forces=frame.get_forces(), stress=frame.get_stress())
        frame.calc = SinglePointCalculator(frame, **labels)
        frames.append(frame)
    return frames


@pytest.fixture(scope="module")
def workflow(tmp_path_factory):
    """A workflow copy with a tiny config, a labelled beta dataset and its unit cell."""
    workdir = copy_workflow(tmp_path_factory.mktemp("restart"))
    config = load_yaml(workdir / "config/config.yaml")
    if "studies" in config:  # Study A's DAG only
        config["studies"] = ["study_a"]
        config.pop("study_b", None)
    config["phases"]["beta"].update(supercell=[1, 1, 2], rcut=6.0)
    config["deepmd"].update(
        embedding_neurons=[8, 16],
        fitting_neurons=[16, 16],
        rcut_smth=0.5,
        decay_steps=5,
        numb_steps=10,
        compress=False,
        zbl_switch_A=[1.0, 1.6],
    )
    config["md"].update(equilibration_ps=0.05, production_ps=0.6, chunk_ps=0.2, dump_every_fs=10, seeds=[11])
    (workdir / "config/tiny.yaml").write_text(yaml.safe_dump(config))
    cif = ROOT / config["phases"]["beta"]["cif"]
    unit_cell = to_atoms(enumerate_orderings(str(cif), max_orderings=1)[0])
    write_frames([unit_cell], workdir / R / "structures/beta/unit_cell.extxyz")
    frames = _labelled_frames(unit_cell, 12)
    write_deepmd_npy(frames[:10], workdir / R / "dataset/beta/train", TYPE_MAP)
    write_deepmd_npy(frames[10:], workdir / R / "dataset/beta/test", TYPE_MAP)
    return workdir, config


@pytest.fixture(scope="module")
def trained(workflow):
    """10 training steps, then the same training extended to 20 steps; the frozen model."""
    workdir, config = workflow
    models = workdir / R / "models/beta"
    models.mkdir(parents=True)
    np.savetxt(models / ZBL_TABLE_FILE, zbl_table(TYPE_MAP, r_max_A=8.0))
    log, data = models / "train.log", workdir / R / "dataset/beta"
    starts = []
    for numb_steps in (10, 20):
        settings = training_input(
            {**config["deepmd"], "numb_steps": numb_steps},
            6.0,
            [str(data / "train")],
            [str(data / "test")],
            TYPE_MAP,
        )
        starts.append(train(settings, models / "input.json", log))
    run_dp(["freeze", "-c", TRAIN_DIR, "-o", "model.pb"], models, log)
    return models, starts


def test_training_continues_from_its_checkpoint(trained):
    models, starts = trained
    assert starts == [0, 10]
    assert re.search(r"restart from model \S*/train/model\.ckpt-10$", (models / "train.log").read_text(), re.M)
    rows = [
        line.split()
        for line in learning_curve(models / TRAIN_DIR / "lcurve.out").splitlines()
        if not line.startswith("#")
    ]
    assert [int(row[0]) for row in rows] == list(range(21))  # every step once: 0-9 first run, 10-20 restart
    assert (models / "model.pb").stat().st_size > 0


def _kill_job(process):
    """SIGKILL Snakemake and every process under it at once, as a scheduler's walltime does."""
    parent = psutil.Process(process.pid)
    family = [*parent.children(recursive=True), parent]
    for member in family:
        member.send_signal(signal.SIGKILL)
    psutil.wait_procs(family, timeout=30)
    process.wait(timeout=30)


def _wait_for(condition, process, output, timeout_s, what):
    deadline = time.time() + timeout_s
    while not condition():
        if process.poll() is not None:
            raise AssertionError(
                f"Snakemake ended (exit {process.returncode}) before {what}:\n{output.read_text()[-4000:]}"
            )
        if time.time() > deadline:
            raise AssertionError(f"no {what} after {timeout_s} s")
        time.sleep(0.05)


def _uninterrupted_run(workdir, config, destination):
    """The same NVT run in one production chunk, in a process of its own."""
    code = (
        "import sys; from ionflow.io import read_frames; from ionflow.structures.orderings import supercell\n"
        "from ionflow.md.chunks import NVTRun, run_chunked_md\n"
        "md = {**%r, 'chunk_ps': None}\n"
        "run = NVTRun.from_config(md, %r, %r, 1000, 11)\n"
        "atoms = supercell(read_frames(%r)[0], [1, 1, 2])\n"
        "run_chunked_md(run, atoms, %r, %r, %r, 1.2, 1, %r)\n"
    ) % (
        config["md"],
        str(workdir / R / "models/beta/model.pb"),
        TYPE_MAP,
        str(workdir / R / "structures/beta/unit_cell.extxyz"),
        str(destination / "chunks"),
        str(destination / "traj.lammpstrj"),
        str(destination / "log.lammps"),
        str(destination / "run.log"),
    )
    destination.mkdir()
    with open(destination / "stdout.txt", "w") as output:
        return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)


def _atom_blocks(path):
    return [np.loadtxt(text.decode().splitlines()[9:], usecols=(3, 4, 5)) for _, text in dump_frames(path)]


def test_killed_md_resumes_after_its_last_finished_chunk(workflow, trained, tmp_path):
    workdir, config = workflow
    chunks = workdir / MD_DIR / "chunks"
    reference = _uninterrupted_run(workdir, config, tmp_path / "uninterrupted")
    args = [TARGET, "--configfile", "config/tiny.yaml", "--cores", "1", "--allowed-rules", "lammps_md"]
    env = dict(os.environ, PATH=f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}")
    output = tmp_path / "killed_job.txt"
    with open(output, "w") as handle:
        job = subprocess.Popen([*SNAKEMAKE, *args], cwd=workdir, stdout=handle, stderr=subprocess.STDOUT, env=env)

    def second_chunk_running():
        part = chunks / "production_002.lammpstrj.part"
        return (chunks / "production_001.restart").is_file() and part.is_file() and part.stat().st_size > 0

    _wait_for(second_chunk_running, job, output, 300, "second production chunk")
    _kill_job(job)
    assert not (workdir / TARGET).exists()
    before = {c["name"]: c for c in json.loads((chunks / "state.json").read_text())["finished"]}
    assert {"equilibration", "production_001"} <= set(before) and "production_003" not in before
    assert (chunks / "production_001.restart").is_file() and (chunks / "production_001.lammpstrj").is_file()

    snakemake(["--unlock", *args], workdir)  # a killed Snakemake leaves its lock
    snakemake(args, workdir)

    trajectory = workdir / TARGET
    steps = [step for step, _ in dump_frames(trajectory)]
    assert steps == [10 * k for k in range(N_FRAMES)]  # continuous, evenly spaced, no repeated boundary frame
    assert not chunks.exists()
    thermo = (workdir / MD_DIR / "log.lammps").read_text()
    headers = re.findall(r"^# ionflow chunk (\w+): steps \d+-\d+, process (\d+) on \S+, finished (\S+)$", thermo, re.M)
    assert [name for name, _, _ in headers] == CHUNKS
    first_job = {before[name]["pid"] for name in before}
    for name, pid, finished in headers:
        if name in before:  # ran once, in the killed job: not recomputed
            assert (int(pid), finished) == (before[name]["pid"], before[name]["finished_utc"])
        else:
            assert int(pid) not in first_job
    assert thermo.count("fix style: nvt, fix ID: thermostat") == 3  # Nose-Hoover state read back every chunk
    assert f"resuming after chunk {list(before)[-1]}" in (workdir / STEP_LOG).read_text()

    reference.wait(timeout=300)
    assert reference.returncode == 0, (tmp_path / "uninterrupted/stdout.txt").read_text()[-4000:]
    resumed, uninterrupted = _atom_blocks(trajectory), _atom_blocks(tmp_path / "uninterrupted/traj.lammpstrj")
    assert len(resumed) == len(uninterrupted) == N_FRAMES
    assert max(np.abs(a - b).max() for a, b in zip(resumed, uninterrupted)) < 1e-4


def _training_process(settings, workdir, output):
    """``ionflow.potentials.deepmd.train`` in a process of its own (it runs ``dp train`` under it)."""
    code = (
        "import json, sys; from ionflow.potentials.deepmd import train\n"
        "train(json.loads(sys.argv[1]), sys.argv[2], sys.argv[3])\n"
    )
    args = [sys.executable, "-c", code, json.dumps(settings), str(workdir / "input.json"), str(workdir / "train.log")]
    env = dict(os.environ, PATH=f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}")
    with open(output, "w") as handle:
        return subprocess.Popen(args, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, env=env)


def _lcurve_steps(train_dir):
    text = learning_curve(train_dir / TRAIN_DIR / "lcurve.out")
    return [int(line.split()[0]) for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_a_sigkilled_training_resumes_from_its_last_checkpoint(workflow, tmp_path):
    """A real `dp train` SIGKILLed (with its parent) between checkpoints continues from the
    newest one: every learning-curve step once, the global step and the learning rate carried on,
    and the training ends where an uninterrupted one does."""
    workdir, config = workflow
    data = workdir / R / "dataset/beta"
    deepmd = {**config["deepmd"], "numb_steps": 1000, "decay_steps": 50}
    settings = training_input(deepmd, 6.0, [str(data / "train")], [str(data / "test")], TYPE_MAP)
    every = settings["training"]["save_freq"]
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    for folder in (killed, whole):
        folder.mkdir()
        np.savetxt(folder / ZBL_TABLE_FILE, zbl_table(TYPE_MAP, r_max_A=8.0))
    job = _training_process(settings, killed, tmp_path / "killed.txt")
    saved = lambda: (checkpoint_step(killed / TRAIN_DIR) or 0) >= every  # noqa: E731
    _wait_for(saved, job, tmp_path / "killed.txt", 300, "a checkpoint")
    time.sleep(np.random.default_rng().uniform(0.0, 0.5))  # somewhere between two checkpoints
    _kill_job(job)
    step = checkpoint_step(killed / TRAIN_DIR)
    assert 0 < step < deepmd["numb_steps"] and step % every == 0

    assert train(settings, killed / "input.json", killed / "train.log") == step
    assert re.search(rf"restart from model \S*/train/model\.ckpt-{step}$", (killed / "train.log").read_text(), re.M)
    disp = settings["training"]["disp_freq"]
    assert _lcurve_steps(killed) == list(range(0, deepmd["numb_steps"] + 1, disp))  # every step once
    assert train(settings, whole / "input.json", whole / "train.log") == 0
    rows = {}
    for name, folder in (("killed", killed), ("whole", whole)):
        last = learning_curve(folder / TRAIN_DIR / "lcurve.out").strip().splitlines()[-1].split()
        rows[name] = [float(value) for value in last]
    assert rows["killed"][-1] == pytest.approx(rows["whole"][-1], rel=1e-6)  # the same learning rate at the end
    assert rows["killed"][0] == rows["whole"][0] == deepmd["numb_steps"]
    # Not bitwise: batches after the restart come in another order. The frozen models agree on
    # the test frames to 0.01 eV/Å (a twentieth of their own force error against the labels).
    forces = {}
    for name, folder in (("killed", killed), ("whole", whole)):
        run_dp(["freeze", "-c", TRAIN_DIR, "-o", "model.pb"], folder, folder / "train.log")
        run_dp(["test", "-m", "model.pb", "-s", str(data / "test"), "-d", "dp_test"], folder, folder / "train.log")
        reference, forces[name] = read_dp_test(folder / "dp_test")["force"]
    error = np.sqrt(np.mean((forces["whole"] - reference) ** 2))
    assert np.abs(forces["killed"] - forces["whole"]).max() < min(0.01, error / 20)
