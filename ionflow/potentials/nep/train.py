"""Train one NEP model in a GPUMD-style directory with GPUMD's ``nep`` or with ``neppo``.

GPUMD's ``nep`` runs in ``<directory>/nep_run/``, which a killed job leaves in place: ``nep``
writes ``nep.restart`` (the SNES mean and spread of every parameter) and a ``loss.out`` row
every ``output_interval`` generations, and continues from ``nep.restart`` when started again
there. It then counts generations from 0 and would run all of ``generation`` again, so every
start gets a ``nep.in`` with only the generations still to train: ``output_interval`` times
the rows ``loss.out`` holds fewer than the member's ``nep.in`` asks for. neppo trains in
segments of ``checkpoint_steps`` that a rerun resumes (``neppo_train``). See ``docs/restart.md``.

A warm start (``init``: the same member's ``nep.txt`` of the previous active-learning
iteration) begins from that model instead of random parameters: neppo reads its parameters
(and keeps its descriptor scaling), GPUMD's ``nep`` continues from the ``nep.restart`` that
the previous training left in its ``nep_run/``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path

from ionflow.io import atomic_path, file_sha256, write_json
from ionflow.potentials.nep.neppo_train import train_neppo

log = logging.getLogger("ionflow")
NEP_RUN = "nep_run"
INPUTS_FILE = "inputs.json"
GPUMD_DEFAULTS = {"generation": 100000, "output_interval": 100}  # nep.in keyword defaults of GPUMD's nep


def train_nep(
    directory: str | Path,
    trainer: str,
    command: str | None = None,
    init: str | Path | None = None,
    checkpoint_steps: int | None = None,
) -> dict:
    """Train in ``directory`` (``nep.in``, ``train.xyz``, ``test.xyz``) and return the record.

    ``trainer``: ``nep`` runs GPUMD's executable (``command``, default ``nep``; needs a CUDA
    GPU) in ``directory/nep_run``, resuming a killed training of the same inputs; ``neppo``
    trains on the CPU by gradient descent (AdamW) instead of SNES, in segments of at most
    ``checkpoint_steps`` steps that a rerun of a killed training resumes (None: one segment).
    ``init``: a ``nep.txt`` to warm-start from (module docstring). ``trainer.json`` beside
    ``nep.txt`` records which trainer made the model and where it started, so every later
    table can say so.
    """
    directory = Path(directory)
    if trainer == "nep":
        executable = shutil.which(command or "nep")
        if executable is None:
            raise RuntimeError(
                f"{directory}: GPUMD's nep executable ({command or 'nep'}) is not on PATH; "
                "set nep.trainer: neppo in the config to train on the CPU"
            )
        run, done, remaining = prepare_nep_run(directory, init)
        if remaining:
            with (directory / "nep.out").open("a") as out:
                subprocess.run([executable], cwd=run, stdout=out, stderr=subprocess.STDOUT, check=True)
        finish_nep_run(directory)
        record = {"trainer": "nep", "executable": executable, "resumed_at_generation": done}
    elif trainer == "neppo":
        logging.getLogger("neppo").setLevel(logging.INFO)
        segments = train_neppo(directory, init, checkpoint_steps)
        record = {
            **segments,
            "trainer": "neppo",
            "version": version("neppo"),
            "device": "cpu",
            "optimizer": "adamw (gradient descent, not GPUMD's SNES)",
        }
    else:
        raise ValueError(f"unknown NEP trainer {trainer!r}; use nep or neppo")
    if not (directory / "nep.txt").is_file():
        raise RuntimeError(f"{directory}: {trainer} finished without writing nep.txt; see its log")
    record["warm_start"] = str(init) if init else None
    write_json(record, directory / "trainer.json")
    return record


def prepare_nep_run(directory: str | Path, init: str | Path | None = None) -> tuple[Path, int, int]:
    """Set up ``directory/nep_run`` for GPUMD's ``nep``; return it, generations done and left.

    A run folder of the same ``nep.in`` (``generation`` aside), ``train.xyz``, ``test.xyz``
    and ``init`` with a ``nep.restart`` is continued; any other is cleared, and a new one
    starts from ``init``'s ``nep_run/nep.restart`` when ``init`` is given. The folder's
    ``nep.in`` asks for the generations left; ``train.xyz`` and ``test.xyz`` are links.
    """
    directory = Path(directory)
    restart = Path(init).parent / NEP_RUN / "nep.restart" if init else None
    if restart is not None and not restart.is_file():
        raise FileNotFoundError(
            f"{restart}: no nep.restart to warm-start {directory} from (the previous iteration's "
            "nep_run/ was removed?); rerun that training or unset nep.warm_start_generation"
        )
    run = directory / NEP_RUN
    lines = (directory / "nep.in").read_text().splitlines()
    total, interval = (_keyword(lines, key) for key in ("generation", "output_interval"))
    kept = [line for line in lines if _key(line) != "generation"]
    inputs = {"nep.in": hashlib.sha256("\n".join(kept).encode()).hexdigest()}
    inputs.update({name: file_sha256(directory / name) for name in ("train.xyz", "test.xyz")})
    if restart is not None:
        inputs["init"] = file_sha256(restart)
    stamp = run / INPUTS_FILE
    saved = json.loads(stamp.read_text()) if stamp.is_file() else None
    if saved != inputs or not (run / "nep.restart").is_file():
        if saved is not None:
            log.warning("%s: a training of other inputs or without nep.restart; starting over", run)
        shutil.rmtree(run, ignore_errors=True)
        run.mkdir()
        if restart is not None:
            shutil.copy(restart, run / "nep.restart")
        write_json(inputs, stamp)
    done = len(_loss_rows(run / "loss.out")) * interval
    remaining = max(0, total - done)
    if done:
        log.info("%s: resuming from nep.restart at generation %d of %d", run, done, total)
    (run / "nep.in").write_text("\n".join(kept + [f"generation {remaining}"]) + "\n")
    for name in ("train.xyz", "test.xyz"):
        (run / name).unlink(missing_ok=True)
        (run / name).symlink_to(Path("..") / name)
    return run, done, remaining


def finish_nep_run(directory: str | Path) -> None:
    """Copy the run folder's ``nep.txt`` and its learning curve into ``directory``, atomically.

    ``loss.out`` gets every attempt's rows with the generation counted from the first one.
    """
    directory = Path(directory)
    run = directory / NEP_RUN
    interval = _keyword((directory / "nep.in").read_text().splitlines(), "output_interval")
    if not (run / "nep.txt").is_file():
        raise RuntimeError(f"{run}: nep finished without writing nep.txt; see {directory / 'nep.out'}")
    with atomic_path(directory / "nep.txt") as tmp:
        shutil.copy(run / "nep.txt", tmp)
    rows = _loss_rows(run / "loss.out")
    with atomic_path(directory / "loss.out") as tmp:
        tmp.write_text("".join(f"{(k + 1) * interval} {row.split(maxsplit=1)[1]}" for k, row in enumerate(rows)))


def _key(line: str) -> str:
    fields = line.split("#", 1)[0].split()
    return fields[0] if fields else ""


def _keyword(lines: list[str], key: str) -> int:
    values = [line.split("#", 1)[0].split()[1] for line in lines if _key(line) == key]
    return int(values[0]) if values else GPUMD_DEFAULTS[key]


def _loss_rows(path: Path) -> list[str]:
    """Complete rows of ``loss.out``; a row cut by a kill is removed, so ``nep`` appends after the last whole one."""
    if not path.is_file():
        return []
    text = path.read_text()
    if not text.endswith("\n") and text:
        text = text[: text.rfind("\n") + 1]
        with atomic_path(path) as tmp:
            tmp.write_text(text)
    return [line + "\n" for line in text.splitlines() if line.strip()]
