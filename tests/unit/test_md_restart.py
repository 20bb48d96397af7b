"""Restartable long jobs without running them: MD chunk arithmetic, the concatenation of chunk
dumps, the chunk state file and what a resume keeps; DeePMD checkpoint and learning-curve
bookkeeping. The real killed-and-resumed runs are in tests/workflow/test_restart.py."""

import numpy as np
import pytest
from ase.build import bulk

from ionflow.md.chunks import ChunkState, NVTRun, plan_chunks, prepare_workdir, trajectory_frames
from ionflow.md.dumps import concatenate_dumps, dump_frames
from ionflow.md.lammps import chunk_input, last_frame
from ionflow.potentials.deepmd import (
    checkpoint_step,
    learning_curve,
    training_fingerprint,
    training_input,
    trim_learning_curve,
)
from ionflow.trajectory.readers import iter_frames
from ionflow.trajectory.synthetic import write_lammps_dump

CELL = np.diag([8.0, 9.0, 10.0])
NUMBERS = np.array([3, 3, 40, 17, 17, 17])
MD = {
    "timestep_fs": 1.0,
    "tdamp_fs": 100.0,
    "equilibration_ps": 0.05,
    "production_ps": 0.6,
    "chunk_ps": 0.2,
    "dump_every_fs": 10,
}


def test_chunks_cover_production_and_the_last_one_is_shorter():
    chunks = plan_chunks(equilibration_steps=50, production_steps=500, chunk_steps=200)
    assert [(c.name, c.start_step, c.end_step) for c in chunks] == [
        ("equilibration", 0, 50),
        ("production_001", 0, 200),
        ("production_002", 200, 400),
        ("production_003", 400, 500),
    ]
    assert [c.n_steps for c in chunks] == [50, 200, 200, 100]
    assert not chunks[0].production and all(c.production for c in chunks[1:])
    assert [c.name for c in plan_chunks(0, 400, 400)] == ["production_001"]  # no equilibration chunk


@pytest.mark.parametrize(
    "production, chunk, every",
    [(600, 200, 10), (500, 200, 10), (300, 150, 20), (1000, 333, 7), (100, 100, 10), (90, 200, 30)],
)
def test_chunk_frames_minus_boundary_repeats_make_the_trajectory(production, chunk, every):
    chunks = plan_chunks(0, production, chunk)
    repeats = sum(1 for c in chunks[1:] if c.start_step % every == 0)
    assert sum(c.frames(every) for c in chunks) - repeats == trajectory_frames(production, every)


def test_frame_counts_of_the_embedded_and_paper_settings():
    assert trajectory_frames(3000, 20) == 151  # embedded: 3 ps, 20 fs
    paper = plan_chunks(0, 5_000_000, 100_000)  # 5 ns in 100-ps chunks, 1 ps sampling
    assert len(paper) == 50 and paper[1].frames(1000) == 101
    assert trajectory_frames(5_000_000, 1000) == 5001


def test_run_settings_from_config_and_bad_chunk_length():
    run = NVTRun.from_config(MD, "/m.pb", ["Li", "Zr", "Cl"], 1000, 11)
    assert [c.name for c in run.plan()] == ["equilibration"] + [f"production_00{i}" for i in (1, 2, 3)]
    assert run.dump_every_steps == 10 and run.production_steps == 600
    whole = NVTRun.from_config({k: v for k, v in MD.items() if k != "chunk_ps"}, "/m.pb", ["Li"], 1000, 11)
    assert [c.name for c in whole.plan()] == ["equilibration", "production_001"]
    bad = NVTRun.from_config({**MD, "chunk_ps": 0.0005}, "/m.pb", ["Li"], 1000, 11)
    with pytest.raises(ValueError, match=r"key 'md.chunk_ps': 0.5 fs is not a whole number of md.timestep_fs"):
        bad.plan()


def test_chunk_inputs_start_from_data_or_restart():
    common = dict(
        model="/m.pb",
        type_map=["Li", "Zr", "Cl"],
        temperature_K=1000.0,
        seed=11,
        timestep_fs=1.0,
        tdamp_fs=100.0,
        dump_every_steps=10,
    )
    first = chunk_input(
        start_from="system.data", n_steps=50, restart_file="equilibration.restart.part", **common
    ).splitlines()
    assert "read_data system.data" in first and "velocity all create 1000.0 11 mom yes rot yes dist gaussian" in first
    assert first[-2:] == ["run 50", "write_restart equilibration.restart.part"]
    assert not any(line.startswith("dump") for line in first)
    later = chunk_input(
        start_from="equilibration.restart",
        n_steps=200,
        restart_file="production_001.restart.part",
        reset_timestep=True,
        dump_file="production_001.lammpstrj.part",
        **common,
    ).splitlines()
    assert later[1] == "read_restart equilibration.restart"
    assert not any(line.startswith(("velocity", "read_data", "units")) for line in later)  # carried by the restart
    assert "fix thermostat all nvt temp 1000.0 1000.0 0.1" in later  # same ID and style: NH state restored
    assert "pair_style deepmd /m.pb" in later and "reset_timestep 0" in later
    assert "dump traj all custom 10 production_001.lammpstrj.part id type element xu yu zu" in later


def _split_into_chunks(whole, tmp_path, frames_per_chunk):
    """Chunk dumps as LAMMPS writes them: each chunk repeats the previous chunk's last frame."""
    blocks = [text for _, text in dump_frames(whole)]
    paths, start = [], 0
    while start < len(blocks) - 1:
        path = tmp_path / f"production_{len(paths) + 1:03d}.lammpstrj"
        path.write_bytes(b"".join(blocks[start : start + frames_per_chunk + 1]))
        paths.append(path)
        start += frames_per_chunk
    return paths


def test_concatenation_drops_the_repeated_boundary_frames(tmp_path):
    rng = np.random.default_rng(1)
    frames = [rng.random((6, 3)) @ CELL + 0.1 * i for i in range(61)]
    whole = tmp_path / "whole.lammpstrj"
    write_lammps_dump(whole, NUMBERS, frames, CELL, every=10)
    paths = _split_into_chunks(whole, tmp_path, 20)
    assert [sum(1 for _ in dump_frames(p)) for p in paths] == [21, 21, 21]
    joined = tmp_path / "traj.lammpstrj"
    assert concatenate_dumps(paths, joined, 10) == 61
    assert joined.read_bytes() == whole.read_bytes()
    steps = [step for step, _ in dump_frames(joined)]
    assert steps == list(range(0, 610, 10))
    with pytest.raises(
        ValueError,
        match=r"production_003.lammpstrj: frame 0 is at step 400 after step 200; "
        r"expected step 210 \(a chunk is missing or repeated\)",
    ):
        concatenate_dumps([paths[0], paths[2]], tmp_path / "gap.lammpstrj", 10)
    assert not (tmp_path / "gap.lammpstrj").exists()


def test_last_frame_is_read_from_the_tail(tmp_path):
    rng = np.random.default_rng(2)
    path = tmp_path / "traj.lammpstrj"
    write_lammps_dump(path, NUMBERS, [rng.random((6, 3)) @ CELL for _ in range(30)], CELL, every=10)
    *_, expected = iter_frames(path)
    atoms = last_frame(path, block_bytes=100)  # several backward reads
    assert np.allclose(atoms.positions, expected.positions) and list(atoms.numbers) == list(NUMBERS)


def test_state_file_round_trip(tmp_path):
    state = ChunkState(
        {"temperature_K": 1000.0, "type_map": ["Li", "Zr", "Cl"]},
        [{"name": "equilibration", "start_step": 0, "end_step": 50, "frames": 0, "pid": 7}],
    )
    state.save(tmp_path)
    assert ChunkState.load(tmp_path) == state
    assert ChunkState.load(tmp_path / "none") is None
    (tmp_path / "state.json").write_text('{"settings": {}')
    with pytest.raises(ValueError, match=r"state.json: unreadable chunk state .*; delete .* to start the run over"):
        ChunkState.load(tmp_path)


def test_resume_keeps_finished_chunks_and_drops_the_rest(tmp_path):
    model = tmp_path / "model.pb"
    model.write_bytes(b"weights")
    atoms = bulk("NaCl", "rocksalt", a=5.6).repeat(2)
    atoms.symbols[0] = "Li"
    run = NVTRun.from_config(MD, str(model), ["Li", "Na", "Cl"], 1000, 11)
    workdir = tmp_path / "chunks"
    state = prepare_workdir(run, atoms, workdir)
    assert state.finished == [] and (workdir / "system.data").is_file()
    state.finished.append({"name": "equilibration", "start_step": 0, "end_step": 50})
    state.save(workdir)
    for name in (
        "equilibration.restart",
        "equilibration.log",
        "equilibration.in",
        "production_001.in",
        "production_001.lammpstrj.part",
        "production_001.log.part",
    ):
        (workdir / name).write_text("x")
    resumed = prepare_workdir(run, atoms, workdir)
    assert [c["name"] for c in resumed.finished] == ["equilibration"]
    assert sorted(p.name for p in workdir.iterdir()) == [
        "equilibration.in",
        "equilibration.log",
        "equilibration.restart",
        "state.json",
        "system.data",
    ]
    model.write_bytes(b"retrained weights")  # another model: its chunks are not this run's
    assert prepare_workdir(run, atoms, workdir).finished == []
    assert sorted(p.name for p in workdir.iterdir()) == ["state.json", "system.data"]


def _write_systems(tmp_path, energy=1.0):
    for name in ("train", "test"):
        (tmp_path / name / "set.000").mkdir(parents=True, exist_ok=True)
        np.save(tmp_path / name / "set.000" / "energy.npy", np.array([energy]))


def _deepmd_settings(tmp_path, numb_steps=100):
    deepmd = {
        "rcut_smth": 0.7,
        "embedding_neurons": [8, 16],
        "fitting_neurons": [16],
        "start_lr": 1e-3,
        "stop_lr": 1e-5,
        "decay_steps": 10,
        "numb_steps": numb_steps,
        "batch_size": 1,
        "seed": 1,
    }
    return training_input(deepmd, 6.0, [str(tmp_path / "train")], [str(tmp_path / "test")], ["Li", "Zr", "Cl"])


def test_training_fingerprint_ignores_the_run_length_but_not_the_data(tmp_path):
    _write_systems(tmp_path)
    short = training_fingerprint(_deepmd_settings(tmp_path, 100))
    assert training_fingerprint(_deepmd_settings(tmp_path, 5000)) == short
    settings = _deepmd_settings(tmp_path, 100)
    settings["model"]["fitting_net"]["neuron"] = [32]
    assert training_fingerprint(settings) != short
    _write_systems(tmp_path, energy=1.5)  # relabelled data: old weights are not a head start
    assert training_fingerprint(_deepmd_settings(tmp_path, 100)) != short


def test_checkpoint_step_needs_the_recorded_checkpoint_files(tmp_path):
    assert checkpoint_step(tmp_path) is None
    (tmp_path / "checkpoint").write_text(
        'model_checkpoint_path: "model.ckpt-240"\n'
        'all_model_checkpoint_paths: "model.ckpt-120"\nall_model_checkpoint_paths: "model.ckpt-240"\n'
    )
    assert checkpoint_step(tmp_path) is None  # recorded but its files are gone

    def write(step, *suffixes):
        for suffix in suffixes:
            (tmp_path / f"model.ckpt-{step}{suffix}").write_text("")

    write(120, ".data-00000-of-00001", ".index", ".meta")
    write(240, ".data-00000-of-00001", ".index")  # killed before TensorFlow wrote the graph
    assert checkpoint_step(tmp_path) == 120  # the newest one dp train --restart can read
    write(240, ".meta")
    assert checkpoint_step(tmp_path) == 240


def test_learning_curve_after_a_killed_run_and_its_restart(tmp_path):
    header = "# step rmse_val rmse_trn\n"
    path = tmp_path / "lcurve.out"
    path.write_text(header + "".join(f"{s} {s}.0 {s}.5\n" for s in range(0, 60, 10)))  # killed at 50, ckpt at 30
    trim_learning_curve(path, 30)
    assert path.read_text() == header + "0 0.0 0.5\n10 10.0 10.5\n20 20.0 20.5\n"
    with open(path, "a") as handle:  # what `dp train --restart` appends
        handle.write(header + "".join(f"{s} {s}.0 {s}.5\n" for s in range(30, 70, 10)))
    steps = [int(line.split()[0]) for line in learning_curve(path).splitlines() if not line.startswith("#")]
    assert steps == list(range(0, 70, 10)) and learning_curve(path).count("# step") == 1
