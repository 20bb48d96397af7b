"""NEP molecular dynamics in restartable chunks: GPUMD on clusters, calorine CPUNEP under ASE here.

Both engines write the same files in one directory: ``run.in`` (the whole run as one GPUMD
input, the record), ``dump.xyz`` and ``thermo.out`` (GPUMD's formats; ``ionflow.md.cpunep``).
The run's stages, settings and chunks are ``ionflow.md.nep_inputs``.

Chunk k runs in ``chunks/chunk_000k.tmp/`` and is renamed to ``chunks/chunk_000k/`` once its
outputs are complete. It starts where chunk k-1 ended: CPUNEP from its ``checkpoint.npz``,
GPUMD from its ``restart.xyz`` (``dump_restart``: positions and velocities) as ``model.xyz``.
A rerun keeps the finished chunks of a run with the same settings, model and structure
(``chunks/run.json``) and runs the rest. ``dump.xyz`` and ``thermo.out`` are the chunks'
outputs joined once all are done; then ``chunks/`` goes. See ``docs/restart.md``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import numpy as np
from ase import Atoms

from ionflow.io import atomic_path, file_sha256, write_json
from ionflow.md.cpunep import STOPPED, run_cpunep_chunk
from ionflow.md.nep_inputs import Chunk, MDSettings, Stage, check_chunk_steps, gpumd_run_in, plan_chunks, start_fs
from ionflow.reference.foundation import load_cpunep

log = logging.getLogger("ionflow")
GPUMD_TIME = re.compile(r"(?<!\S)Time=(\S+)")
RUN_FILE = "run.json"


def run_md(
    atoms: Atoms,
    model: str | Path,
    stages: list[Stage],
    settings: MDSettings,
    directory: str | Path,
    log_path: str | Path,
) -> int:
    """Run (or resume) ``stages`` from ``atoms`` with the NEP ``model``; return the frame count.

    Writes ``run.in`` (its first line, a comment, names ``model`` and its SHA-256), then the
    chunks under ``directory/chunks``, then ``dump.xyz`` and
    ``thermo.out`` atomically. GPUMD's output goes to ``log_path``. A CPUNEP frame with a pair
    closer than ``settings.min_distance_A`` or non-finite positions means the potential has
    failed: the run stops there, keeps the frames so far and says so in the log (exploration
    with a young committee model is expected to find such places).
    """
    directory = Path(directory)
    executable = _gpumd_executable(settings.gpumd_command, directory) if settings.engine == "gpumd" else None
    check_chunk_steps(stages, settings)
    fingerprint = _fingerprint(atoms, model, stages, settings)
    with atomic_path(directory / "run.in") as tmp:
        tmp.write_text(
            f"# nep.txt is {model} (sha256 {fingerprint['model_sha256']})\n" + gpumd_run_in(stages, settings)
        )
    plan = plan_chunks(stages, settings.chunk_steps)
    work = directory / "chunks"
    done = _finished_chunks(work, plan, fingerprint)
    if done:
        log.info(
            "%s: resuming after %s, %d of %d chunks finished, not rerun", work, plan[done - 1].name, done, len(plan)
        )
    if executable is None:  # one system for all chunks: CPUNEP reloads the model for every new Atoms
        system, rng = atoms.copy(), None
        system.calc = load_cpunep(model)
    for chunk in plan[done:]:
        if chunk.index and (work / plan[chunk.index - 1].name / STOPPED).exists():
            break
        started, folder = time.time(), work / f"{chunk.name}.tmp"
        folder.mkdir()
        previous = work / plan[chunk.index - 1].name if chunk.index else None
        stage = stages[chunk.stage]
        if executable:
            _run_gpumd_chunk(atoms, model, stage, chunk, previous, settings, folder, executable, log_path)
        else:
            rng = run_cpunep_chunk(
                system, rng, stage, chunk, start_fs(stages, chunk, settings), previous, settings, folder
            )
        if not (folder / STOPPED).exists():
            _check_outputs(folder, chunk, stage, settings)
        os.replace(folder, work / chunk.name)
        log.info(
            "%s: stage %d, steps %d-%d in %.1f s",
            chunk.name,
            chunk.stage,
            chunk.start_step,
            chunk.end_step,
            time.time() - started,
        )
    finished = [c for c in plan if (work / c.name).is_dir()]
    n_frames = _join(work, finished, [start_fs(stages, c, settings) for c in finished], directory)
    shutil.rmtree(work)
    return n_frames


def _gpumd_executable(command: str, directory: Path) -> str:
    executable = shutil.which(command)
    if executable is None:
        raise RuntimeError(
            f"{directory / 'run.in'}: {command} is not on PATH; GPUMD needs a CUDA GPU (run with "
            "--profile profiles/slurm on a cluster) or set the engine to cpunep in the config"
        )
    return executable


def _fingerprint(atoms: Atoms, model: str | Path, stages: list[Stage], settings: MDSettings) -> dict:
    """What decides the trajectory: settings, stages, the model's and the structure's content."""
    model_sha256 = file_sha256(model)
    structure = hashlib.sha256()
    for array in (atoms.numbers, atoms.positions, atoms.cell.array, atoms.pbc):
        structure.update(np.ascontiguousarray(array).tobytes())
    record = {
        "settings": {k: v for k, v in asdict(settings).items() if k != "gpumd_command"},
        "stages": [asdict(s) for s in stages],
        "model_sha256": model_sha256,
        "structure_sha256": structure.hexdigest(),
    }
    return json.loads(json.dumps(record))


def _finished_chunks(work: Path, plan: list[Chunk], fingerprint: dict) -> int:
    """How many of ``plan``'s chunks ``work`` holds for this run; everything else there is removed."""
    run_file = work / RUN_FILE
    saved = json.loads(run_file.read_text()) if run_file.is_file() else None
    if saved != fingerprint:
        if saved is not None:
            changed = sorted(k for k in fingerprint if saved.get(k) != fingerprint[k])
            log.warning("%s: chunks of a run with other %s; starting over", work, ", ".join(changed))
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        write_json(fingerprint, run_file)
    done = 0
    while done < len(plan) and (work / plan[done].name).is_dir():
        done += 1
    keep = {RUN_FILE} | {c.name for c in plan[:done]}
    for path in work.iterdir():
        if path.name not in keep:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    return done


def _run_gpumd_chunk(
    atoms: Atoms,
    model: str | Path,
    stage: Stage,
    chunk: Chunk,
    previous: Path | None,
    settings: MDSettings,
    folder: Path,
    executable: str,
    log_path: str | Path,
) -> None:
    """Run ``chunk`` with GPUMD in ``folder``: its ``run.in``, ``model.xyz`` and ``nep.txt``, then ``gpumd``."""
    from calorine.gpumd import write_xyz

    piece = Stage(stage.condition, chunk.end_step - chunk.start_step, stage.dump_every)
    (folder / "run.in").write_text(gpumd_run_in([piece], settings, continuation=previous is not None, restart=True))
    if previous is None:
        write_xyz(str(folder / "model.xyz"), atoms)
    else:
        shutil.copy(previous / "restart.xyz", folder / "model.xyz")
    shutil.copy(model, folder / "nep.txt")
    with open(log_path, "a") as out:
        subprocess.run([executable], cwd=folder, stdout=out, stderr=subprocess.STDOUT, check=True)
    restart = folder / "restart.xyz"
    header = restart.read_text().splitlines()[1] if restart.is_file() else ""
    if ":vel:R:3" not in header:
        raise RuntimeError(
            f"{restart}: missing or without velocities, so the next chunk cannot continue; "
            f"see GPUMD's output in {log_path}"
        )


def _check_outputs(folder: Path, chunk: Chunk, stage: Stage, settings: MDSettings) -> None:
    """A chunk is complete when it has every frame and thermo row it should."""
    frames = sum(1 for _ in _xyz_frames(folder / "dump.xyz")) if (folder / "dump.xyz").exists() else 0
    rows = _thermo_rows(folder / "thermo.out")
    expected = chunk.outputs(stage.dump_every), chunk.outputs(settings.thermo_every)
    if (frames, len(rows)) != expected:
        raise RuntimeError(
            f"{folder}: {frames} frames and {len(rows)} thermo rows, expected {expected[0]} and "
            f"{expected[1]}; the chunk is rerun from its start on the next attempt"
        )


def _xyz_frames(path: str | Path) -> Iterator[list[str]]:
    """The frames of an (extended) XYZ file as lists of lines, atom count and comment line first."""
    with open(path) as handle:
        while count := handle.readline():
            lines = [count, handle.readline()] + [handle.readline() for _ in range(int(count))]
            if not lines[-1].endswith("\n"):
                raise ValueError(f"{path}: the last frame is truncated")
            yield lines


def _thermo_rows(path: Path) -> list[str]:
    """Data lines of a ``thermo.out`` (GPUMD writes ``#`` header lines per run)."""
    return [line for line in path.read_text().splitlines(keepends=True) if line.strip() and line[0] != "#"]


def _join(work: Path, chunks: list[Chunk], start_fs: list[float], directory: Path) -> int:
    """Write the chunks' frames and thermo rows, in order, as ``dump.xyz`` and ``thermo.out``; frames.

    GPUMD's ``Time=`` (fs) starts at 0 in every chunk; the chunk's start time is added to it.
    """
    n_frames = 0
    with (
        atomic_path(directory / "thermo.out") as thermo_tmp,
        atomic_path(directory / "dump.xyz") as dump_tmp,
        open(thermo_tmp, "w") as thermo,
        open(dump_tmp, "w") as dump,
    ):
        for chunk, offset in zip(chunks, start_fs):
            folder = work / chunk.name
            thermo.writelines(_thermo_rows(folder / "thermo.out"))
            if not (folder / "dump.xyz").exists():
                continue
            for lines in _xyz_frames(folder / "dump.xyz"):
                lines[1] = GPUMD_TIME.sub(lambda m: f"Time={float(m.group(1)) + offset:.8f}", lines[1])
                dump.writelines(lines)
                n_frames += 1
    return n_frames
