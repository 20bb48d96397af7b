"""Query-by-committee selection: candidates, distance filter, farthest point sampling.

Per iteration (paper B): a frame explored with the committee's first model is a candidate if
its committee deviation ε exceeds ``threshold`` (eV/Å); candidates with any pair closer than
``factor × (R_i + R_j)`` (ASE's covalent radii) are dropped as unphysical; farthest point
sampling in descriptor space picks at most ``budget`` of the rest, starting from the
candidate of largest ε. The loop has converged when no candidate remains among the frames of
the target region (moderate temperatures and pressures).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from ase import Atoms
from ase.data import covalent_radii
from ase.neighborlist import neighbor_list

from ionflow.plan import Condition
from ionflow.potentials.nep.committee import max_force_deviation


def close_contact(atoms: Atoms, factor: float) -> bool:
    """True if any pair i, j is closer than ``factor × (R_i + R_j)`` (covalent radii, Å)."""
    radii = factor * covalent_radii[atoms.numbers]
    i, j, d = neighbor_list("ijd", atoms, radii, self_interaction=False)
    return bool(np.any(d < radii[i] + radii[j]))


def farthest_point_sampling(features: np.ndarray, n: int, first: int) -> list[int]:
    """Indices of ``n`` rows of ``features`` chosen greedily to be far apart (Euclidean).

    Starts at row ``first``; each next pick maximises the distance to the nearest pick so far
    (ties: the lowest index).
    """
    features = np.asarray(features, dtype=float)
    n = min(n, len(features))
    chosen = [first]
    nearest = np.linalg.norm(features - features[first], axis=1)
    while len(chosen) < n:
        pick = int(np.argmax(nearest))
        chosen.append(pick)
        nearest = np.minimum(nearest, np.linalg.norm(features - features[pick], axis=1))
    return chosen


def candidate_frames(deviation: np.ndarray, too_close: np.ndarray, threshold: float) -> np.ndarray:
    """Indices of frames with ``deviation > threshold`` (eV/Å) and no close contact."""
    deviation = np.asarray(deviation, dtype=float)
    return np.flatnonzero((deviation > threshold) & ~np.asarray(too_close, dtype=bool))


def pick_diverse(candidates: np.ndarray, deviation: np.ndarray, features: np.ndarray, budget: int) -> list[int]:
    """At most ``budget`` of ``candidates`` by farthest point sampling.

    ``features`` holds one row per candidate (same order); they are standardised per column,
    and sampling starts from the candidate of largest ``deviation``.
    """
    if len(candidates) == 0 or budget <= 0:
        return []
    X = np.asarray(features, dtype=float)
    scale = X.std(axis=0)
    X = (X - X.mean(axis=0)) / np.where(scale > 0, scale, 1.0)
    first = int(np.argmax(np.asarray(deviation, dtype=float)[candidates]))
    return [int(candidates[k]) for k in farthest_point_sampling(X, budget, first)]


def in_target_region(condition: Condition, temperature_K: Sequence[float], max_pressure_bar: float) -> bool:
    """Whether runs at ``condition`` belong to the convergence region.

    NVT runs count by temperature alone (their pressure is not controlled); NPT runs need
    a set pressure below ``max_pressure_bar`` as well.
    """
    low, high = temperature_K
    if not low <= condition.temperature_K <= high:
        return False
    return condition.ensemble == "nvt" or condition.pressure_bar < max_pressure_bar


def mean_descriptors(frames: Sequence[Atoms], model: str) -> np.ndarray:
    """Per-frame mean of the per-atom NEP descriptors of ``model`` (frames × components)."""
    from calorine.nep import get_descriptors

    return np.array([get_descriptors(frame, str(model)).mean(axis=0) for frame in frames])


@dataclass(frozen=True)
class Selection:
    """One iteration's query by committee over the explored frames (indices into them):
    ``deviation`` ε (eV/Å) and ``too_close`` per frame, ``candidates``, ``selected`` (FPS order)
    and ``converged`` (no candidate among the frames of the target region)."""

    deviation: np.ndarray
    too_close: np.ndarray
    candidates: np.ndarray
    selected: list[int]
    converged: bool


def select_by_committee(
    frames: Sequence[Atoms],
    forces: Sequence[np.ndarray],
    in_target: Sequence[bool],
    descriptors: Callable[[list[Atoms]], np.ndarray],
    threshold_eV_A: float,
    distance_factor: float,
    budget: int,
    ddof: int = 0,
) -> Selection:
    """Query by committee: ε of every frame from its committee ``forces`` ((models, atoms, 3) eV/Å;
    ``ddof`` 0 population, 1 sample variance), candidates above ``threshold_eV_A`` without close
    contacts (``distance_factor``), and, unless converged, at most ``budget`` of them by farthest
    point sampling on ``descriptors`` (one row per frame given). A converged iteration selects
    nothing and computes no descriptor."""
    deviation = np.array([max_force_deviation(f, ddof=ddof) for f in forces])
    too_close = np.array([close_contact(frame, distance_factor) for frame in frames], dtype=bool)
    candidates = candidate_frames(deviation, too_close, threshold_eV_A)
    converged = not np.asarray(in_target, dtype=bool)[candidates].any()
    selected = []
    if not converged:
        selected = pick_diverse(candidates, deviation, descriptors([frames[i] for i in candidates]), budget)
    return Selection(deviation, too_close, candidates, selected, bool(converged))


def selection_summary(selection: Selection, in_target: Sequence[bool], threshold_eV_A: float, iteration: int) -> dict:
    """One iteration in numbers: counts of frames, candidates (all and in the target region) and
    selected frames, the candidate fraction, the largest ε (eV/Å) over all frames and over the
    target region's frames without close contacts (NaN when there are none), and ``converged``."""
    deviation, in_target = selection.deviation, np.asarray(in_target, dtype=bool)
    judged = in_target & ~selection.too_close
    n_frames = len(deviation)
    return {
        "iteration": iteration,
        "frames": n_frames,
        "above_threshold": int((deviation > threshold_eV_A).sum()),
        "close_contact": int(selection.too_close.sum()),
        "candidates": len(selection.candidates),
        "candidates_in_target_region": int(in_target[selection.candidates].sum()),
        "candidate_fraction": len(selection.candidates) / n_frames if n_frames else float("nan"),
        "selected": len(selection.selected),
        "selected_frames": list(selection.selected),
        "max_deviation_eV_A": float(deviation.max()) if n_frames else float("nan"),
        "max_deviation_target_eV_A": float(deviation[judged].max()) if judged.any() else float("nan"),
        "threshold_eV_A": threshold_eV_A,
        "converged": selection.converged,
    }
