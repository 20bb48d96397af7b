"""Chunked labelling: failures travel with the frame into the failures table; a killed chunk
resumes from the last finished frame and never reuses results of other settings."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from ase.build import bulk
from ase.calculators.calculator import Calculator, all_changes
from ase.calculators.lj import LennardJones

from ionflow.plan import frames_per_run, n_chunks
from ionflow.potentials.dataset import screen_frames
from ionflow.reference import ReferenceFailure
from ionflow.reference.labelling import FAILURE_KEY, chunk_bounds, label_frames
from ionflow.reference.sampling import run_nvt

ROOT = Path(__file__).resolve().parents[2]


class CountingLJ(Calculator):
    """Lennard-Jones that counts calls, fails on chosen frames and can 'die' after N calls."""

    implemented_properties = ["energy", "forces", "stress"]

    def __init__(self, fail_x=(), die_after=None):
        super().__init__()
        self.lj = LennardJones(sigma=3.4, epsilon=0.0104, rc=8.0, smooth=True)
        self.calls, self.fail_x, self.die_after = 0, fail_x, die_after

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        if self.die_after is not None and self.calls >= self.die_after:
            raise KeyboardInterrupt("node lost")
        self.calls += 1
        if any(abs(self.atoms.positions[0, 0] - x) < 1e-9 for x in self.fail_x):
            raise ReferenceFailure("fake: SCF not converged (2 steps)")
        self.lj.calculate(self.atoms, ["energy", "forces", "stress"], all_changes)
        self.results = dict(self.lj.results)


def _frames(n):
    frames = []
    for i in range(n):
        atoms = bulk("Ar", "fcc", a=5.26, cubic=True)
        atoms.rattle(0.05, seed=i)
        atoms.info.update(phase="beta", temperature_K=300.0, scale=1.0, step=10 * i, reference="nep89")
        frames.append(atoms)
    return frames


def test_chunks_cover_every_frame_once():
    covered = [i for c in range(n_chunks(23, 5)) for i in range(*chunk_bounds(23, 5, c))]
    assert covered == list(range(23))
    with pytest.raises(IndexError):
        chunk_bounds(23, 5, 5)


def test_failed_frame_goes_to_failures_table_not_dataset(tmp_path):
    frames = _frames(4)
    calc = CountingLJ(fail_x=[frames[2].positions[0, 0]])
    labelled = label_frames(frames, calc, "cp2k", tmp_path / "chunk0.extxyz", {"backend": "cp2k"})
    assert [FAILURE_KEY in f.info for f in labelled] == [False, False, True, False]
    good, failures = screen_frames(labelled, 50.0, source="chunk0.extxyz")
    assert len(good) == 3 and [f["index"] for f in failures] == [2]
    assert failures[0]["reason"] == (
        "reference failed: fake: SCF not converged (2 steps) (beta T=300.0 K scale=1.0 step=20)"
    )
    assert labelled[0].info["reference"] == "cp2k" and labelled[0].info["sampler"] == "nep89"
    reference = frames[0].copy()
    reference.calc = LennardJones(sigma=3.4, epsilon=0.0104, rc=8.0, smooth=True)
    assert np.allclose(good[0].get_forces(), reference.get_forces(), atol=1e-8)


def test_killed_chunk_resumes_from_last_finished_frame(tmp_path):
    frames, output = _frames(5), tmp_path / "chunk0.extxyz"
    with pytest.raises(KeyboardInterrupt):
        label_frames(frames, CountingLJ(die_after=3), "lj", output, {"backend": "lj"})
    assert not output.exists() and (tmp_path / "chunk0.extxyz.partial").exists()
    # a frame cut off mid-write is dropped by the index's byte count
    with open(tmp_path / "chunk0.extxyz.partial", "a") as handle:
        handle.write('8\nLattice="5.26 0 0')
    resumed = CountingLJ()
    labelled = label_frames(frames, resumed, "lj", output, {"backend": "lj"})
    assert resumed.calls == 2 and len(labelled) == 5
    assert [f.info["step"] for f in labelled] == [0, 10, 20, 30, 40]
    assert not (tmp_path / "chunk0.extxyz.partial").exists()


def test_partial_run_with_other_settings_starts_over(tmp_path):
    frames, output = _frames(3), tmp_path / "chunk0.extxyz"
    with pytest.raises(KeyboardInterrupt):
        label_frames(frames, CountingLJ(die_after=2), "lj", output, {"backend": "lj", "cutoff_Ry": 200})
    fresh = CountingLJ()
    label_frames(frames, fresh, "lj", output, {"backend": "lj", "cutoff_Ry": 300})
    assert fresh.calls == 3


def test_frame_count_is_known_before_the_run_and_frames_carry_provenance():
    atoms = bulk("Ar", "fcc", a=5.26, cubic=True)
    calc = LennardJones(sigma=3.4, epsilon=0.0104, rc=8.0, smooth=True)
    frames = run_nvt(atoms, calc, 300.0, 0.05, 2.0, 10.0, 0.004, 1, {"phase": "beta", "scale": 1.0, "reference": "lj"})
    assert len(frames) == frames_per_run(0.05, 2.0, 10.0) == 5
    assert [f.info["step"] for f in frames] == [2, 7, 12, 17, 22]  # 2 equilibration steps, stride 5
    assert {k: frames[0].info[k] for k in ("phase", "scale", "reference", "temperature_K")} == {
        "phase": "beta",
        "scale": 1.0,
        "reference": "lj",
        "temperature_K": 300.0,
    }


KILL_SCRIPT = """
import sys, time
from ase.calculators.lj import LennardJones
from ionflow.reference.labelling import label_frames
from tests.unit.test_reference_labelling import _frames


class SlowLJ(LennardJones):
    def calculate(self, *args, **kwargs):
        time.sleep(0.2)  # a reference calculation takes time: the kill lands between or inside frames
        super().calculate(*args, **kwargs)


label_frames(_frames(12), SlowLJ(sigma=3.4, epsilon=0.0104, rc=8.0, smooth=True), "lj", sys.argv[1], {"backend": "lj"})
"""


def test_a_sigkilled_labelling_process_resumes_to_the_uninterrupted_labels(tmp_path):
    """The real fault: a labelling process SIGKILLed after some frames, then the same chunk again."""
    output = tmp_path / "chunk0.extxyz"
    process = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(output)], cwd=ROOT, start_new_session=True)
    index = tmp_path / "chunk0.extxyz.partial.json"
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        if index.exists() and json.loads(index.read_text())["done"] >= 3:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the labelling ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done = json.loads(index.read_text())["done"]
    assert 3 <= done < 12 and not output.exists()
    resumed = CountingLJ()
    labelled = label_frames(_frames(12), resumed, "lj", output, {"backend": "lj"})
    assert resumed.calls == 12 - done  # finished frames are not labelled again
    whole = label_frames(_frames(12), CountingLJ(), "lj", tmp_path / "whole.extxyz", {"backend": "lj"})
    for a, b in zip(labelled, whole, strict=True):
        assert np.array_equal(a.get_forces(), b.get_forces()) and a.get_potential_energy() == b.get_potential_energy()
