"""Label frames with a reference in resumable chunks; failures travel with the frame.

A chunk of frames is labelled one single point at a time. Each finished frame (labelled or
failed) is appended to ``<output>.partial`` at once, and ``<output>.partial.json`` records how
many frames and bytes are complete and with which reference settings. A chunk killed half-way
(wall time, node failure) restarts from the last finished frame; partial results made with other
settings or for other frames are discarded, never reused.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import numpy as np
from ase import Atoms
from ase.calculators.calculator import CalculationFailed
from ase.calculators.singlepoint import SinglePointCalculator
from ase.io import write

from ionflow.io import read_frames
from ionflow.reference.errors import ReferenceFailure

FAILURE_KEY = "label_failure"
log = logging.getLogger("ionflow")


def chunk_bounds(n_frames: int, chunk_size: int, chunk: int) -> tuple[int, int]:
    """Frame range ``[start, stop)`` of chunk number ``chunk`` (0-based)."""
    start = chunk * chunk_size
    if not 0 <= start < n_frames:
        raise IndexError(f"chunk {chunk} is outside {n_frames} frames in chunks of {chunk_size}")
    return start, min(start + chunk_size, n_frames)


def label_one(frame: Atoms, calculator, reference_name: str) -> Atoms:
    """A copy of ``frame`` with the reference's energy (eV), forces (eV/Å) and stress (eV/Å³).

    When the engine gives no trustworthy result the copy carries no labels and its
    ``info["label_failure"]`` says why.
    """
    atoms = Atoms(frame.numbers, positions=frame.positions, cell=frame.cell, pbc=frame.pbc)
    labelled = atoms.copy()
    labelled.info.update(frame.info)
    labelled.info["sampler"] = frame.info.get("reference", "")
    labelled.info["reference"] = reference_name
    atoms.calc = calculator
    start = time.perf_counter()
    try:
        results = {
            "energy": atoms.get_potential_energy(),
            "forces": atoms.get_forces(),
            "stress": atoms.get_stress(voigt=True),
        }
    except (ReferenceFailure, CalculationFailed) as err:
        labelled.info[FAILURE_KEY] = str(err).replace("\n", " ")[:300] or type(err).__name__
        return labelled
    finally:
        labelled.info["label_seconds"] = round(time.perf_counter() - start, 3)
    labelled.calc = SinglePointCalculator(labelled, **results)
    return labelled


def _same_frame(a: Atoms, b: Atoms) -> bool:
    return (
        len(a) == len(b)
        and np.array_equal(a.numbers, b.numbers)
        and np.allclose(a.positions, b.positions, atol=1e-6)
        and np.allclose(a.cell, b.cell, atol=1e-6)
    )


def _resume(partial: Path, index: Path, frames: list[Atoms], settings: dict) -> int:
    """Number of frames already finished in ``partial`` for these frames and settings."""
    if not (partial.is_file() and index.is_file()):
        return 0
    state = json.loads(index.read_text())
    if state.get("settings") != settings:
        return 0
    with partial.open("r+b") as handle:
        handle.truncate(state["bytes"])  # drop a frame cut off mid-write
    done = read_frames(partial) if state["done"] else []
    if len(done) != state["done"] or not all(_same_frame(d, f) for d, f in zip(done, frames)):
        return 0
    return len(done)


def label_frames(
    frames: list[Atoms], calculator, reference_name: str, output: str | Path, settings: dict
) -> list[Atoms]:
    """Label ``frames`` into ``output`` (extxyz), resuming a previous partial run; return them.

    ``settings`` (the reference block) must be JSON-serialisable; a partial run made with
    other settings starts over.
    """
    output = Path(output)
    partial = output.with_name(output.name + ".partial")
    index = output.with_name(output.name + ".partial.json")
    settings = json.loads(json.dumps(settings))
    done = _resume(partial, index, frames, settings)
    if done:
        log.info("resuming %s after %d finished frames", output, done)
    else:
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(b"")
    for number in range(done, len(frames)):
        labelled = label_one(frames[number], calculator, reference_name)
        with partial.open("a") as handle:
            write(handle, labelled, format="extxyz")
            handle.flush()
            os.fsync(handle.fileno())
        tmp = index.with_name(index.name + ".tmp")
        tmp.write_text(json.dumps({"settings": settings, "done": number + 1, "bytes": partial.stat().st_size}))
        os.replace(tmp, index)
        log.info(
            "frame %d/%d: %s (%.1f s)",
            number + 1,
            len(frames),
            labelled.info.get(FAILURE_KEY, "labelled"),
            labelled.info["label_seconds"],
        )
    os.replace(partial, output)
    index.unlink()
    return read_frames(output)
