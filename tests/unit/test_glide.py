"""Interlayer glide on hand-made layered crystals whose layers are moved by known in-plane
vectors, with thermal noise, a drift of the whole crystal and wrapping into the cell."""

import numpy as np
import pytest
from ase import Atoms

from ionflow.analysis.interface.glide import interlayer_glide

CELL = np.array([[8.0, 0.0, 0.0], [0.0, 8.0, 0.0], [-2.1, 0.0, 18.0]])  # monoclinic tilt, like β
N_LAYERS, N_FRAMES = 6, 10
GLIDE_A = 2.2
DIRECTION = np.array([np.cos(np.pi / 6), np.sin(np.pi / 6), 0.0])


def layered_frames(layer_offset, cell_shear=lambda progress: np.zeros(3), drift_step_A=0.6, seed=0):
    """Zr planes (4 × 4 atoms) at fractional heights k/6 + 0.004 (the first straddles the cell
    boundary once noise is added) and Cl planes between them; layer k moved in-plane by
    ``layer_offset(k, progress)`` (Å), progress 0 → 1 over the frames, cell vector c sheared by
    ``cell_shear(progress)``, plus a random-walk drift of all atoms and 0.05 Å noise; wrapped."""
    rng = np.random.default_rng(seed)
    grid = (np.stack(np.meshgrid(np.arange(4), np.arange(4)), -1).reshape(-1, 2) + 0.25) / 4
    symbols, fractions, layer = [], [], []
    for k in range(N_LAYERS):
        for symbol, height in (("Zr", k / N_LAYERS + 0.004), ("Cl", (k + 0.5) / N_LAYERS)):
            symbols += [symbol] * len(grid)
            fractions.append(np.c_[grid, np.full(len(grid), height)])
            layer += [k] * len(grid)
    fractions, layer = np.vstack(fractions), np.array(layer)
    frames, drift = [], np.zeros(3)
    for t in range(N_FRAMES):
        progress = t / (N_FRAMES - 1)
        cell = CELL.copy()
        cell[2] += cell_shear(progress)
        positions = fractions @ CELL + np.array([layer_offset(k, progress) for k in layer])
        positions += drift + rng.normal(0.0, 0.05, positions.shape)
        atoms = Atoms(symbols, positions=positions, cell=cell, pbc=True)
        atoms.wrap()
        atoms.info["time_ps"] = 10.0 * t
        frames.append(atoms)
        drift = drift + rng.normal(0.0, drift_step_A, 3)
    return frames


def test_top_half_glide_shows_at_the_middle_pair_and_across_the_cell_boundary():
    glide = interlayer_glide(layered_frames(lambda k, p: GLIDE_A * p * DIRECTION * (k >= 3)))
    np.testing.assert_allclose(glide.time_ps, 10.0 * np.arange(N_FRAMES))
    np.testing.assert_allclose(glide.layer_height_A, 18.0 * (np.arange(N_LAYERS) / N_LAYERS + 0.004), atol=0.05)
    expected = np.zeros((N_LAYERS, 3))
    expected[2] = GLIDE_A * DIRECTION  # layer 3 over layer 2
    expected[5] = -GLIDE_A * DIRECTION  # the image of layer 0 over layer 5 (the cell does not shear)
    np.testing.assert_allclose(glide.shift_A[-1], expected, atol=0.08)
    np.testing.assert_allclose(glide.shift_A[0], 0.0, atol=1e-12)
    assert glide.mean_shift_A[-1] == pytest.approx(2 * GLIDE_A / N_LAYERS, abs=0.03)


def test_every_layer_gliding_over_the_one_below_gives_the_glide_per_pair():
    """β → pseudo-layered: each sheet glides over its neighbour and the cell shears with it."""
    frames = layered_frames(lambda k, p: GLIDE_A * p * k * DIRECTION, lambda p: N_LAYERS * GLIDE_A * p * DIRECTION)
    glide = interlayer_glide(frames)
    np.testing.assert_allclose(glide.shift_A[-1], np.tile(GLIDE_A * DIRECTION, (N_LAYERS, 1)), atol=0.08)
    assert glide.mean_shift_A[-1] == pytest.approx(GLIDE_A, abs=0.03)
    np.testing.assert_allclose(glide.mean_shift_A, GLIDE_A * np.arange(N_FRAMES) / (N_FRAMES - 1), atol=0.05)


def test_drift_of_the_whole_crystal_gives_no_glide():
    glide = interlayer_glide(layered_frames(lambda k, p: np.zeros(3), drift_step_A=1.5, seed=3))
    assert np.abs(glide.shift_A).max() < 0.1
    assert glide.mean_shift_A.max() < 0.06


def test_frames_without_time_are_refused():
    frames = layered_frames(lambda k, p: np.zeros(3))
    del frames[0].info["time_ps"]
    with pytest.raises(ValueError, match="time_ps"):
        interlayer_glide(frames)
