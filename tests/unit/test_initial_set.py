"""Initial set: strained copies and k-means representatives in the latent map."""

import numpy as np
import pytest
from ase import Atoms
from ase.build import bulk

from ionflow.potentials.initial_set import cluster_representatives, strained_copies, target_test_frames


def test_strains_have_the_requested_largest_component():
    atoms = bulk("ZrO2", "fluorite", a=5.1)
    copies = strained_copies(atoms, [0.01, 0.05], copies=3, seed=1)
    assert len(copies) == 6
    for copy, magnitude in zip(copies, [0.01] * 3 + [0.05] * 3):
        strain = np.linalg.solve(atoms.cell.array, copy.cell.array) - np.eye(3)
        assert np.allclose(strain, strain.T)
        assert np.abs(strain).max() == pytest.approx(magnitude)
        assert np.allclose(copy.get_scaled_positions(), atoms.get_scaled_positions())


def test_one_representative_per_blob_nearest_its_centre():
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [10, 0], [0, 10]])
    points = np.concatenate([c + rng.normal(scale=0.5, size=(20, 2)) for c in centres])
    labels, chosen = cluster_representatives(points, 3, seed=0)
    blobs = sorted(i // 20 for i in chosen)
    assert blobs == [0, 1, 2]
    for i in chosen:
        members = np.flatnonzero(labels == labels[i])
        centre = points[members].mean(0)
        assert i == members[np.argmin(np.linalg.norm(points[members] - centre, axis=1))]


def test_target_test_frames_are_unseen_foundation_md_in_the_target_range():
    frames = []
    for k, (origin, temperature) in enumerate(
        [("foundation_md", 300)] * 4
        + [("foundation_md", 2000)] * 3
        + [("strained", None)] * 2
        + [("foundation_md", 900)] * 3
    ):
        atoms = Atoms("Li", positions=[[0, 0, k]])
        atoms.info["origin"] = origin
        if temperature is not None:
            atoms.info["temperature_K"] = temperature
        frames.append(atoms)
    chosen = [0, 4, 9]  # one 300 K, one 2000 K and one 900 K frame trained on
    picked = target_test_frames(frames, chosen, (300, 1000), n=100, seed=0)
    assert picked == [1, 2, 3, 10, 11]  # all unseen 300-1000 K MD frames
    few = target_test_frames(frames, chosen, (300, 1000), n=2, seed=0)
    assert len(few) == 2 and set(few) <= set(picked)
    assert few == target_test_frames(frames, chosen, (300, 1000), n=2, seed=0)
