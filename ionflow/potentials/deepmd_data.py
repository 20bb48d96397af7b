"""DeePMD npy systems and ``dp test`` output: frames and elements of a system, reference and
predicted values of a test, and their errors (eV/atom, eV/Å)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ionflow.analysis.parity import parity_metrics


def read_dp_test(prefix: str | Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Reference and predicted values written by ``dp test -d PREFIX``.

    Returns ``{"energy_per_atom": (ref, pred) in eV/atom, "force": (ref, pred) (n, 3) in eV/Å,
    "virial_per_atom": (ref, pred) (n, 9) in eV/atom}``.
    """
    prefix = str(prefix)
    energy = np.loadtxt(f"{prefix}.e_peratom.out", ndmin=2)
    force = np.loadtxt(f"{prefix}.f.out", ndmin=2)
    virial = np.loadtxt(f"{prefix}.v_peratom.out", ndmin=2)
    return {
        "energy_per_atom": (energy[:, 0], energy[:, 1]),
        "force": (force[:, :3], force[:, 3:6]),
        "virial_per_atom": (virial[:, :9], virial[:, 9:18]),
    }


def test_errors(data: dict[str, tuple[np.ndarray, np.ndarray]]) -> dict[str, float]:
    """RMSE and MAE of energy (eV/atom), force (eV/Å) and virial (eV/atom) from ``read_dp_test``."""
    errors = {}
    for name, unit in (("energy_per_atom", "eV_atom"), ("force", "eV_A"), ("virial_per_atom", "eV_atom")):
        metrics = parity_metrics(*data[name])
        errors[f"{name}_rmse_{unit}"], errors[f"{name}_mae_{unit}"] = metrics["rmse"], metrics["mae"]
    return errors


def system_frames(system: str | Path) -> int:
    """Number of labelled frames in a DeePMD npy system; an empty or missing one is an error
    naming it (training on nothing fails later and obscurely inside DeePMD)."""
    coord = Path(system) / "set.000" / "coord.npy"
    n_frames = len(np.load(coord, mmap_mode="r")) if coord.is_file() else 0
    if n_frames == 0:
        raise ValueError(
            f"{system}: no labelled frames; every frame failed its labels (see failures.csv in the "
            "dataset folder): fix the reference calculation or raise aimd.max_force_eV_A, then rerun"
        )
    return n_frames


def system_elements(system: str | Path, n_frames: int) -> np.ndarray:
    """Element of every force row that ``dp test`` writes for a npy system (frames × atoms)."""
    system = Path(system)
    type_map = (system / "type_map.raw").read_text().split()
    types = np.loadtxt(system / "type.raw", dtype=int, ndmin=1)
    return np.tile(np.array(type_map)[types], n_frames)
