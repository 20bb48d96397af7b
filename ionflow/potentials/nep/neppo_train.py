"""neppo training on the CPU in segments that survive a kill.

neppo (AdamW gradient descent) trains in stages: each value of ``generation`` in ``nep.in`` is a
stage of as many steps, its learning rate following the stage's part of one cosine, and each
stage starts AdamW from zero moments. ionflow cuts every stage into segments of at most
``checkpoint_steps`` steps by the same rule, so a segment is a stage to neppo, and after each one
it saves in ``<directory>/neppo_checkpoint/`` what the next segment needs to continue exactly:
the model's tensors, the trainer's batch-order random state, pending batch order, step count and
best loss, and the length of ``loss.out``. A killed training started again with the same inputs
(``nep.in``, ``train.xyz``, ``test.xyz``, warm-start model, segment length) continues after the
last saved segment and ends with the model an uninterrupted training gives; other inputs start
it over. The checkpoint goes when the training is done. neppo itself is not changed: ionflow
reads and restores the trainer attributes it needs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import shutil
from pathlib import Path

from ionflow.io import atomic_path, write_json

log = logging.getLogger("ionflow")
CHECKPOINT = "neppo_checkpoint"
TRAINER_STATE = ("_step", "_previous_report_step", "_best_loss", "_order")


def cosine_rate(rates: tuple[float, float], step: int, steps: int) -> float:
    """Learning rate at ``step`` of ``steps`` on neppo's cosine from ``rates[0]`` to ``rates[1]``."""
    from neppo.trainer import get_cosine_learning_rate

    return float(get_cosine_learning_rate(rates, step, steps))


def segment_stages(stages: list[dict], checkpoint_steps: int | None) -> list[dict]:
    """neppo stages (``neppo.nep_in.get_stages``) cut into segments of at most
    ``checkpoint_steps`` steps (None: the stages unchanged). A segment's learning rates are those
    the stage's cosine takes at the segment's first and last step: neppo's own rule for stages."""
    if checkpoint_steps is None:
        return stages
    segments = []
    for stage in stages:
        steps = int(stage["generation"][0])
        rates = tuple(float(value) for value in stage["learning_rate"])
        for start in range(0, steps, checkpoint_steps):
            stop = min(steps, start + checkpoint_steps)
            first, last = cosine_rate(rates, start, steps), cosine_rate(rates, stop - 1, steps)
            segments.append({**stage, "generation": [str(stop - start)], "learning_rate": [str(first), str(last)]})
    return segments


def _fingerprint(directory: Path, init, checkpoint_steps: int | None) -> str:
    digest = hashlib.sha256(str(checkpoint_steps).encode())
    for path in [directory / name for name in ("nep.in", "train.xyz", "test.xyz")] + ([Path(init)] if init else []):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _load_checkpoint(directory: Path, fingerprint: str) -> dict | None:
    """The saved state of a killed training of the same inputs; None (and the stale checkpoint
    removed) otherwise."""
    checkpoint = directory / CHECKPOINT
    state_file = checkpoint / "state.json"
    if state_file.is_file():
        state = json.loads(state_file.read_text())
        if state["fingerprint"] == fingerprint and (checkpoint / state.get("model", "")).is_file():
            return state
        log.info("%s: inputs changed since the checkpoint; training starts over", directory)
    shutil.rmtree(checkpoint, ignore_errors=True)
    return None


def _save_checkpoint(directory: Path, trainer, segment: int, fingerprint: str) -> None:
    """Model tensors of this segment first, in a file of their own, then the state that points at
    them, then the previous segment's tensors are removed: a kill at any point leaves a state and
    the tensors of the same segment, which the next start repeats from. (Overwriting one model file
    let a kill between the two writes pair the new tensors with the old state.)"""
    import torch

    checkpoint = directory / CHECKPOINT
    checkpoint.mkdir(exist_ok=True)
    model = f"model_{segment + 1}.pt"
    with atomic_path(checkpoint / model) as tmp:
        torch.save(trainer.model.state_dict(), tmp)
    loss = directory / "loss.out"
    state = {
        "fingerprint": fingerprint,
        "segments_done": segment + 1,
        "rng": trainer._rng.bit_generator.state,
        "loss_bytes": loss.stat().st_size if loss.is_file() else 0,
        **{name: getattr(trainer, name) for name in TRAINER_STATE},
    }
    state["_order"] = [int(index) for index in state["_order"]]
    state["_best_loss"] = None if math.isinf(state["_best_loss"]) else state["_best_loss"]
    state["model"] = model
    write_json(state, checkpoint / "state.json")
    for stale in checkpoint.glob("model_*.pt"):
        if stale.name != model:
            stale.unlink()


def _restore(directory: Path, trainer, state: dict) -> None:
    import torch

    trainer.model.load_state_dict(torch.load(directory / CHECKPOINT / state["model"]))
    trainer._rng.bit_generator.state = state["rng"]
    for name in TRAINER_STATE:
        setattr(trainer, name, state[name])
    if trainer._best_loss is None:
        trainer._best_loss = math.inf
    loss = directory / "loss.out"
    if loss.is_file():  # rows of the segment the kill cut are dropped; it runs again
        with open(loss, "r+b") as handle:
            handle.truncate(state["loss_bytes"])


def _check_same_architecture(model, fresh, init, nep_in: Path) -> None:
    """Raise unless ``model`` (read from ``init``) has the species, cutoffs and parameter shapes of ``fresh``."""

    def signature(nep) -> tuple:
        d = nep.descriptor
        cutoffs = tuple(round(c, 6) for c in (*d.radial_cutoffs, *d.angular_cutoffs))
        return d.types, cutoffs, {name: tuple(value.shape) for name, value in nep.state_dict().items()}

    if signature(model) != signature(fresh):
        raise ValueError(
            f"{init}: cannot warm-start the training of {nep_in} from it: species, cutoffs or sizes differ; "
            "train from scratch (nep.warm_start_generation unset) or use a model of the same settings"
        )


def train_neppo(directory: str | Path, init: str | Path | None = None, checkpoint_steps: int | None = None) -> dict:
    """Train ``directory`` (``nep.in``, ``train.xyz``, ``test.xyz``) with neppo on the CPU, as
    ``neppo.nep_in.run`` does, from random parameters or from those of ``init`` (a ``nep.txt``
    of the same species, cutoffs and sizes; its descriptor scaling is kept), in segments of at
    most ``checkpoint_steps`` steps that a rerun resumes (module docstring). Returns
    ``{"segments": n, "resumed_at_segment": k}``."""
    import torch
    from ase.io import read
    from neppo.io import read_model
    from neppo.nep_in import get_loss, get_model, get_stages, read_nep_in
    from neppo.structure_container import StructureContainer
    from neppo.trainer import Trainer

    directory = Path(directory)
    settings = read_nep_in(directory / "nep.in")
    seed = int(settings.get("seed", ["42"])[0])
    if seed < 0:  # as neppo.nep_in.run: a negative seed leaves parameters and batches random
        seed = None
    else:
        torch.manual_seed(seed)
    segments = segment_stages(get_stages(settings), checkpoint_steps)
    fingerprint = _fingerprint(directory, init, checkpoint_steps)
    state = _load_checkpoint(directory, fingerprint)
    fresh = get_model(settings, directory)
    model = fresh
    if init is not None:
        model = read_model(init)
        _check_same_architecture(model, fresh, init, directory / "nep.in")
    if state is None:
        (directory / "loss.out").unlink(missing_ok=True)
    structures = {name: StructureContainer(model, read(directory / f"{name}.xyz", ":")) for name in ("train", "test")}
    trainer = Trainer(
        model,
        get_loss(segments[0], has_bec=False),
        structures["train"],
        test=structures["test"],
        batch_size=int(settings.get("batch", ["32"])[0]),
        device="cpu",
        seed=seed,
        output_directory=directory,
    )
    done = 0
    if state is not None:
        _restore(directory, trainer, state)
        done = state["segments_done"]
        log.info("%s: resuming the neppo training after segment %d of %d", directory, done, len(segments))
    report_interval = int(settings.get("output_interval", ["100"])[0])
    for index in range(done, len(segments)):
        segment = segments[index]
        trainer.loss = get_loss(segment, has_bec=False)
        trainer.learning_rate = tuple(float(value) for value in segment["learning_rate"])
        trainer.optimizer.param_groups[0]["weight_decay"] = float(segment["weight_decay"][0])
        trainer.train(steps=int(segment["generation"][0]), report_interval=report_interval)
        if checkpoint_steps is not None and index < len(segments) - 1:
            _save_checkpoint(directory, trainer, index, fingerprint)
    shutil.rmtree(directory / CHECKPOINT, ignore_errors=True)
    return {"segments": len(segments), "resumed_at_segment": done}
