"""Committee (query-by-committee) force deviation of NEP models.

The deviation of a frame is DP-GEN's ``max_devi_f``: for each atom i the root mean square
distance of the M models' forces from their mean,
``σ_i = sqrt(⟨|F_i^m − ⟨F_i⟩|²⟩_m)``, and ``ε = max_i σ_i`` (eV/Å). GPUMD's ``active``
keyword takes the same maximum but with the sample variance (divisor M − 1); ``ddof=1``
gives that convention (larger by sqrt(M/(M−1)), 1.155 for M = 4).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from ase import Atoms


def max_force_deviation(forces: np.ndarray, ddof: int = 0) -> float:
    """ε (eV/Å) of one frame from committee forces of shape (models, atoms, 3)."""
    forces = np.asarray(forces, dtype=float)
    if forces.ndim != 3 or forces.shape[2] != 3 or forces.shape[0] < 2:
        raise ValueError(f"forces must have shape (models >= 2, atoms, 3), got {forces.shape}")
    spread = forces - forces.mean(axis=0)
    per_atom = np.sqrt((spread**2).sum(axis=2).sum(axis=0) / (forces.shape[0] - ddof))
    return float(per_atom.max())


def committee_forces(model_files: Sequence[str | Path], frames: Sequence[Atoms]) -> list[np.ndarray]:
    """Forces (eV/Å) of every model on every frame: one (models, atoms, 3) array per frame.

    Evaluated in batches with neppo's PyTorch implementation of NEP (float64); GPUMD and
    calorine's CPUNEP give the same forces to ~1e-6 eV/Å.
    """
    from neppo.io import read_model
    from neppo.prediction import predict

    per_model = []
    for path in model_files:
        model = read_model(path)
        per_model.append([p.arrays["force_predicted"] for p in predict(model, list(frames))])
    return [np.stack([forces[i] for forces in per_model]) for i in range(len(frames))]
