"""Teacher vs student Li profiles along z: KS distance checked against scipy's two-sample KS."""

import numpy as np
import pytest
from ase import Atoms
from scipy.stats import ks_2samp

from ionflow.analysis.validation.interface import compare_profiles, ks_distance


def test_ks_distance_of_histograms_equals_scipys_on_the_samples():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 20, 300), np.clip(rng.normal(12, 3, 200).round(), 0, 19).astype(int)
    counts_a, counts_b = np.bincount(a, minlength=20), np.bincount(b, minlength=20)
    assert ks_distance(counts_a, counts_b) == pytest.approx(ks_2samp(a, b).statistic, abs=1e-12)


def _run(z_li: np.ndarray, n_frames: int, jitter: float, seed: int) -> list[Atoms]:
    """Frames of a 10 × 10 × 20 Å cell with Li at heights ``z_li`` (Å) plus Gaussian jitter."""
    rng = np.random.default_rng(seed)
    frames = []
    for _ in range(n_frames):
        z = (z_li + rng.normal(0, jitter, len(z_li))) % 20.0
        positions = np.column_stack([rng.uniform(0, 10, len(z)), rng.uniform(0, 10, len(z)), z])
        frames.append(Atoms(f"Li{len(z)}", positions=positions, cell=[10, 10, 20], pbc=True))
    return frames


def test_same_profile_passes_and_li_moved_to_the_other_side_fails():
    layers = np.repeat([3.0, 6.0, 9.0], 10)
    teacher = _run(layers, 20, 0.2, seed=1)
    row, curves = compare_profiles("slab", 400, teacher, _run(layers, 20, 0.2, seed=2))
    assert row["passed"] and row["ks_distance"] < 0.1
    assert curves["teacher"].sum() == pytest.approx(30) and curves["z_A"].shape == curves["student"].shape
    moved = _run(layers + 8.0, 20, 0.2, seed=2)  # every Li 8 A higher: none below 11 A
    row, _ = compare_profiles("slab", 400, teacher, moved)
    assert not row["passed"] and row["ks_distance"] == pytest.approx(1.0) and "KS" in row["note"]
