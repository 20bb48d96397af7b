"""AIMD-protocol sampler: frame count, labels equal to the calculator, rescaled cells."""

import numpy as np
from ase.build import bulk
from ase.calculators.lj import LennardJones

from ionflow.reference.sampling import rescaled, run_nvt


def _argon():
    return bulk("Ar", "fcc", a=5.26, cubic=True).repeat(2)


def _lj():
    return LennardJones(sigma=3.4, epsilon=0.0104, rc=8.0, smooth=True)


def test_frames_are_labelled_by_the_calculator_at_their_positions():
    frames = run_nvt(
        _argon(),
        _lj(),
        80.0,
        duration_ps=0.2,
        timestep_fs=5.0,
        sample_every_fs=20.0,
        equilibration_ps=0.05,
        seed=1,
        provenance={"phase": "argon"},
    )
    assert len(frames) == 10  # 200 fs / 20 fs
    assert [f.info["time_ps"] for f in frames[:3]] == [0.0, 0.02, 0.04]
    check = _lj()
    for frame in frames[::3]:
        probe = frame.copy()
        probe.calc = check
        assert np.isclose(frame.get_potential_energy(), probe.get_potential_energy(), atol=1e-10)
        assert np.allclose(frame.get_forces(), probe.get_forces(), atol=1e-10)
        assert np.allclose(frame.get_stress(), probe.get_stress(), atol=1e-10)
        assert frame.info["phase"] == "argon" and frame.info["temperature_K"] == 80.0
    assert not np.allclose(frames[0].positions, frames[-1].positions)


def test_rescaled_cell_scales_volume_by_cube():
    atoms = _argon()
    small = rescaled(atoms, 0.75)
    assert np.isclose(small.get_volume(), 0.75**3 * atoms.get_volume())
    assert np.allclose(small.get_scaled_positions(), atoms.get_scaled_positions())
