"""PMF from densities of known Boltzmann form: 1D barrier (Eq. 26) and 2D maps."""

import numpy as np
import pytest
from ase.units import kB

from ionflow.analysis.structure.pmf import free_energy_barrier, map_barrier, pmf_slice, potential_of_mean_force

T = 950.0


def cosine_potential(x, height, period):
    """Minima at period/2 + n·period, maxima at n·period, barrier = height (eV)."""
    return 0.5 * height * (1.0 + np.cos(2.0 * np.pi * x / period))


def test_barrier_of_exact_boltzmann_profile():
    r = np.round(np.arange(1.0, 9.0, 0.01), 10)
    g = np.exp(-cosine_potential(r, 0.2, 3.0) / (kB * T))
    barrier, r_min, r_max = free_energy_barrier(r, potential_of_mean_force(g, T))
    assert barrier == pytest.approx(0.2, rel=1e-9)
    assert (r_min, r_max) == pytest.approx((1.5, 3.0))


def test_barrier_from_sampled_density():
    rng = np.random.default_rng(7)
    fine = np.linspace(0.3, 9.0, 87001)
    weight = np.exp(-cosine_potential(fine, 0.2, 3.0) / (kB * T))
    cdf = np.cumsum(weight) / weight.sum()
    samples = np.interp(rng.random(2_000_000), cdf, fine)
    counts, edges = np.histogram(samples, bins=np.arange(0.3, 9.0001, 0.05))
    centres = 0.5 * (edges[1:] + edges[:-1])
    barrier, r_min, r_max = free_energy_barrier(centres, potential_of_mean_force(counts / counts.mean(), T), 0.03)
    assert barrier == pytest.approx(0.2, abs=0.01)
    assert r_min == pytest.approx(1.5, abs=0.15)
    assert r_max == pytest.approx(3.0, abs=0.15)


def test_2d_map_recovers_potential_and_barriers():
    shape = (40, 30, 10)
    u, v, w = np.meshgrid(*[(np.arange(n) + 0.5) / n for n in shape], indexing="ij")
    edge_layer = np.abs(w - np.round(w)) < 0.15  # w = 0 slab
    potential = np.where(
        edge_layer,
        cosine_potential(u, 0.3, 1.0) + cosine_potential(v, 0.5, 1.0),
        cosine_potential(u, 0.7, 1.0) + cosine_potential(v, 0.2, 1.0),
    )
    density = np.exp(-potential / (kB * T))
    unit_cell = np.array([[10.8, 0.0, 0.0], [-5.4, 9.4, 0.0], [0.0, 0.0, 5.8]])
    W_edge = pmf_slice(density, unit_cell, "xy", 0.0, 1.0, T)
    V_edge = potential[:, :, 0]
    np.testing.assert_allclose(W_edge - W_edge.min(), V_edge - V_edge.min(), atol=1e-12)
    assert np.mean(np.exp(-W_edge / (kB * T))) == pytest.approx(1.0)  # W = 0 at the mean density
    # grid centres miss the exact maximum by (1 - cos(pi/n))/2 of the height
    assert map_barrier(W_edge, axis=0) == pytest.approx(0.3, rel=0.01)
    assert map_barrier(W_edge, axis=1) == pytest.approx(0.5, rel=0.01)
    W_middle = pmf_slice(density, unit_cell, "xy", 0.5, 2.0, T)
    assert map_barrier(W_middle, axis=0) == pytest.approx(0.7, rel=0.01)
    assert map_barrier(W_middle, axis=1) == pytest.approx(0.2, rel=0.01)
    W_side = pmf_slice(density, unit_cell, "xz", 0.0, 1.0, T)
    assert W_side.shape == (40, 10)


def test_thin_slab_is_an_error():
    with pytest.raises(ValueError, match="thickness_angstrom"):
        pmf_slice(np.ones((4, 4, 4)), np.eye(3) * 8.0, "xy", 0.1, 0.01, T)


def test_a_stray_close_pair_is_not_the_first_shell():
    """Li3InCl6's DP run: a Li pair 1.8 Å apart in a few frames is a tiny bump of g where the
    first shell (g ≥ 1) is at 3.5 Å; the barrier is the shell's, not the bump's."""
    r = np.round(np.arange(1.0, 9.0, 0.01), 10)
    g = np.exp(-cosine_potential(r, 0.2, 3.0) / (kB * T))
    g[r < 1.2] = 0.0
    shell = free_energy_barrier(r, potential_of_mean_force(g, T))
    bump = np.exp(-(((r - 1.1) / 0.03) ** 2)) * 0.02
    stray = free_energy_barrier(r, potential_of_mean_force(g + bump, T))
    assert stray == pytest.approx(shell)
    assert stray[1] == pytest.approx(1.5, abs=0.02)
