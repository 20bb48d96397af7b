"""Labelled datasets: screen frames, record failures, split train/test, write DeePMD npy.

A frame that is not finite or has an absurd force is never used: it goes to the failures
table with its reason and provenance, and the count is reported.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from ase import Atoms

FAILURE_FIELDS = ("source", "index", "reason")


def screen_frames(frames: list[Atoms], max_force_eV_A: float, source: str) -> tuple[list[Atoms], list[dict]]:
    """Split frames into usable ones and failure records.

    A frame fails if its reference calculation failed (``info["label_failure"]`` holds the
    engine's reason: SCF not converged, crash, timeout), if its energy, forces or stress are
    missing or not finite, or if any force component exceeds ``max_force_eV_A`` (eV/Å) in
    magnitude.
    """
    good, failures = [], []
    for index, frame in enumerate(frames):
        reason = _failure_reason(frame, max_force_eV_A)
        if reason:
            failures.append({"source": source, "index": index, "reason": reason})
        else:
            good.append(frame)
    return good, failures


def _failure_reason(frame: Atoms, max_force_eV_A: float) -> str:
    if frame.info.get("label_failure"):
        return f"reference failed: {frame.info['label_failure']}{_where(frame)}"
    try:
        energy = frame.get_potential_energy()
        forces = frame.get_forces()
        stress = frame.get_stress(voigt=True)
    except Exception as err:  # a frame without labels is a failed calculation, not a crash
        return f"missing label: {err}"
    if not (np.isfinite(energy) and np.all(np.isfinite(forces)) and np.all(np.isfinite(stress))):
        return "non-finite energy, force or stress"
    largest = float(np.abs(forces).max())
    if largest > max_force_eV_A:
        return f"force {largest:.1f} eV/A above {max_force_eV_A} eV/A{_where(frame)}"
    return ""


def _where(frame: Atoms) -> str:
    """Provenance of a frame for the failures table (empty for frames without it)."""
    keys = ("phase", "temperature_K", "scale", "step")
    if not all(k in frame.info for k in keys):
        return ""
    return " ({} T={} K scale={} step={})".format(*(frame.info[k] for k in keys))


def train_test_split(frames: list[Atoms], test_fraction: float, seed: int) -> tuple[list[Atoms], list[Atoms]]:
    """Random split; at least one frame lands in each part when there are two or more."""
    if len(frames) < 2:
        return list(frames), []
    order = np.random.default_rng(seed).permutation(len(frames))
    n_test = min(max(1, int(round(test_fraction * len(frames)))), len(frames) - 1)
    test_idx = set(order[:n_test].tolist())
    train = [f for i, f in enumerate(frames) if i not in test_idx]
    test = [f for i, f in enumerate(frames) if i in test_idx]
    return train, test


def write_failures(failures: list[dict], path: str | Path) -> None:
    """Write the failures table (CSV with header, possibly empty)."""
    with Path(path).open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FAILURE_FIELDS)
        writer.writeheader()
        writer.writerows(failures)


def write_deepmd_npy(frames: list[Atoms], directory: str | Path, type_map: list[str]) -> None:
    """Write frames as a DeePMD-kit npy system (``set.000`` with coord/box/energy/force/virial).

    All frames must share one atom ordering. Virial (eV) is −V·stress, DeePMD's convention.
    """
    directory = Path(directory)
    (directory / "set.000").mkdir(parents=True, exist_ok=True)
    if not frames:  # every frame failed: an empty system, the summary reports the count
        return
    symbols = list(frames[0].get_chemical_symbols())
    if any(list(f.get_chemical_symbols()) != symbols for f in frames):
        raise ValueError(f"{directory}: frames differ in atom ordering; one system needs one ordering")
    types = [type_map.index(s) for s in symbols]
    (directory / "type.raw").write_text("\n".join(map(str, types)) + "\n")
    (directory / "type_map.raw").write_text("\n".join(type_map) + "\n")
    n = len(frames)
    arrays = {
        "coord": np.array([f.positions for f in frames]).reshape(n, -1),
        "box": np.array([np.asarray(f.cell) for f in frames]).reshape(n, 9),
        "energy": np.array([f.get_potential_energy() for f in frames]),
        "force": np.array([f.get_forces() for f in frames]).reshape(n, -1),
        "virial": np.array([-f.get_volume() * f.get_stress(voigt=False) for f in frames]).reshape(n, 9),
    }
    for name, array in arrays.items():
        np.save(directory / "set.000" / f"{name}.npy", array)
