"""Errors of a NEP model against reference labels: parity data and RMSE (paper B, Fig. 2a–c).

Energies and virials are per atom (eV/atom), forces per component (eV/Å), as GPUMD's ``nep``
reports them; the RMSEs are in meV/atom and meV/Å.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from ase import Atoms

from ionflow.analysis.parity import parity_metrics


def parity_data(model_file: str | Path, frames: Sequence[Atoms]) -> dict[str, np.ndarray]:
    """Predicted and reference energy, force and virial of ``model_file`` on ``frames``.

    Keys: ``energy_{target,predicted}`` (frames,), ``force_{target,predicted}`` (atoms × 3
    of all frames stacked), ``force_species`` (atoms,), ``virial_{target,predicted}``
    (frames × 6, Voigt order xx yy zz yz xz xy).
    """
    from neppo.io import read_model
    from neppo.prediction import predict

    predicted = predict(read_model(model_file), list(frames))
    data = {}
    for kind in ("target", "predicted"):
        data[f"energy_{kind}"] = np.array([p.info[f"energy_{kind}"][0] for p in predicted])
        data[f"force_{kind}"] = np.concatenate([p.arrays[f"force_{kind}"] for p in predicted])
        data[f"virial_{kind}"] = np.array([p.info[f"virial_{kind}"] for p in predicted])
    data["force_species"] = np.concatenate([p.get_chemical_symbols() for p in predicted])
    return data


def rmse(data: dict[str, np.ndarray]) -> dict[str, float]:
    """RMSE of energy (meV/atom), force (meV/Å, per component) and virial (meV/atom)."""
    result = {}
    for name, unit in (("energy", "meV_atom"), ("force", "meV_A"), ("virial", "meV_atom")):
        target, predicted = np.ravel(data[f"{name}_target"]), np.ravel(data[f"{name}_predicted"])
        finite = np.isfinite(predicted - target)
        result[f"{name}_rmse_{unit}"] = (
            1000 * parity_metrics(target[finite], predicted[finite])["rmse"] if finite.any() else float("nan")
        )
    return result
