"""neppo training in segments: the learning-rate plan, and a real SIGKILL after a checkpoint
resumed to the model an uninterrupted training gives."""

import math
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ase.io import write

from ionflow.potentials.nep import neppo_train
from ionflow.potentials.nep.inputs import nep_parameters, write_nep_in
from ionflow.potentials.nep.neppo_train import CHECKPOINT, segment_stages
from ionflow.potentials.nep.train import train_nep
from tests.unit.test_nep_committee import TINY, _frames

SETTINGS = {**TINY, "generation": 60, "batch": 2}
CHECKPOINT_STEPS = 10


def _cosine(start, stop, step, steps):
    """Hand-written: a cosine from ``start`` at step 0 to ``stop`` at step ``steps - 1``."""
    return stop + 0.5 * (start - stop) * (1 + math.cos(math.pi * step / (steps - 1)))


def test_segments_follow_the_stage_cosine():
    stage = {"generation": ["25"], "learning_rate": ["0.01", "0.001"], "weight_decay": ["0"]}
    segments = segment_stages([stage], 10)
    assert [int(s["generation"][0]) for s in segments] == [10, 10, 5]
    bounds = [(0, 9), (10, 19), (20, 24)]
    for segment, (first, last) in zip(segments, bounds):
        rates = [float(value) for value in segment["learning_rate"]]
        assert rates == pytest.approx([_cosine(0.01, 0.001, first, 25), _cosine(0.01, 0.001, last, 25)], rel=1e-12)
        assert segment["weight_decay"] == ["0"]
    assert segment_stages([stage], None) == [stage]


@pytest.fixture(scope="module")
def member(tmp_path_factory):
    """A member directory: nep.in (60 steps, seed 0), train.xyz (16 frames), test.xyz (4)."""
    directory = tmp_path_factory.mktemp("member")
    write(directory / "train.xyz", _frames(16, 0), format="extxyz")
    write(directory / "test.xyz", _frames(4, 1), format="extxyz")
    write_nep_in(nep_parameters(SETTINGS, ["Li", "Cl"], "neppo", seed=0), directory / "nep.in")
    return directory


def _copy(member, destination):
    shutil.copytree(member, destination)
    return destination


def _train_in_a_process(directory):
    code = (
        "import sys; from ionflow.potentials.nep.train import train_nep; "
        f"train_nep(sys.argv[1], 'neppo', checkpoint_steps={CHECKPOINT_STEPS})"
    )
    return subprocess.Popen([sys.executable, "-c", code, str(directory)], start_new_session=True)


def test_a_killed_training_resumes_to_the_uninterrupted_model(member, tmp_path):
    whole = _copy(member, tmp_path / "whole")
    record = train_nep(whole, "neppo", checkpoint_steps=CHECKPOINT_STEPS)
    assert record["segments"] == 6 and record["resumed_at_segment"] == 0
    assert not (whole / CHECKPOINT).exists()

    killed = _copy(member, tmp_path / "killed")
    process = _train_in_a_process(killed)
    state = killed / CHECKPOINT / "state.json"
    deadline = time.monotonic() + 600
    while not state.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the training ended before its first checkpoint; give it more steps"
    time.sleep(0.3)  # into the next segment
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert state.exists()

    record = train_nep(killed, "neppo", checkpoint_steps=CHECKPOINT_STEPS)
    assert record["resumed_at_segment"] >= 1
    assert (killed / "nep.txt").read_text() == (whole / "nep.txt").read_text()
    rows = [line for line in (killed / "loss.out").read_text().splitlines() if not line.startswith("#")]
    expected = [line for line in (whole / "loss.out").read_text().splitlines() if not line.startswith("#")]
    assert rows == expected  # the cut segment's rows were dropped and written again


def test_a_checkpoint_of_other_inputs_is_not_resumed(member, tmp_path):
    directory = _copy(member, tmp_path / "changed")
    process = _train_in_a_process(directory)
    state = directory / CHECKPOINT / "state.json"
    while not state.exists() and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    write(directory / "test.xyz", _frames(4, 9), format="extxyz")  # new test frames: another training
    assert train_nep(directory, "neppo", checkpoint_steps=CHECKPOINT_STEPS)["resumed_at_segment"] == 0


def test_a_kill_between_the_model_and_the_state_resumes_to_the_uninterrupted_model(member, tmp_path, monkeypatch):
    """Killed after a segment's tensors were written and before its state: the resumed training
    repeats that segment from the tensors of the one before, as if never killed."""
    whole = _copy(member, tmp_path / "whole")
    train_nep(whole, "neppo", checkpoint_steps=CHECKPOINT_STEPS)
    cut = _copy(member, tmp_path / "cut")
    write_json, states = neppo_train.write_json, []

    def killed_before_the_third_state(data, path):
        if Path(path).name == "state.json":
            states.append(path)
            if len(states) == 3:
                raise SystemExit("killed between the model and the state")
        write_json(data, path)

    monkeypatch.setattr(neppo_train, "write_json", killed_before_the_third_state)
    with pytest.raises(SystemExit):
        train_nep(cut, "neppo", checkpoint_steps=CHECKPOINT_STEPS)
    monkeypatch.setattr(neppo_train, "write_json", write_json)
    record = train_nep(cut, "neppo", checkpoint_steps=CHECKPOINT_STEPS)
    assert record["resumed_at_segment"] == 2
    assert (cut / "nep.txt").read_text() == (whole / "nep.txt").read_text()
