"""Agreement with pymatgen-analysis-diffusion's DiffusionAnalyzer on one trajectory.

pymatgen refers positions to the framework (non-diffusing atoms) and fits MSD from 1 ps
to the end with 1/t weights; ionflow refers them to the centre of mass and fits an
unweighted window. `diffusivity_std_dev` is the residual std of that weighted fit
(~1e-5 relative here), far below the sampling error, so the test checks two things:
the same displacements and the same estimator reproduce pymatgen within
`diffusivity_std_dev`, and ionflow's own estimate agrees within its sampling error.
"""

import numpy as np
import pytest

analyzer = pytest.importorskip("pymatgen.analysis.diffusion.analyzer")
from pymatgen.core import Lattice, Structure  # noqa: E402

from ionflow.analysis.transport.diffusion import A2_PER_PS_TO_CM2_PER_S  # noqa: E402
from ionflow.analysis.transport.msd import msd_collective, msd_self  # noqa: E402
from ionflow.analysis.transport.runs import analyse_runs  # noqa: E402
from ionflow.trajectory.species import read_species_trajectory  # noqa: E402
from ionflow.trajectory.synthetic import random_walk_steps, write_lammps_dump  # noqa: E402

DT_PS, N_LI, N_HOST, N_FRAMES = 0.1, 64, 256, 2000
CELL = np.diag([20.0, 20.0, 20.0])


@pytest.fixture(scope="module")
def trajectory(tmp_path_factory):
    rng = np.random.default_rng(2)
    # a heavy host (Li mass fraction 0.8%) so the framework and centre-of-mass frames coincide
    numbers = np.array([3] * N_LI + [82] * N_HOST)
    start = rng.random((len(numbers), 3)) @ CELL
    displacements = np.zeros((N_FRAMES, len(numbers), 3))
    displacements[:, :N_LI] = random_walk_steps(rng, N_FRAMES, N_LI, 0.4, DT_PS, group_size=2)
    path = tmp_path_factory.mktemp("pymatgen") / "traj.lammpstrj"
    write_lammps_dump(path, numbers, start + displacements, CELL, decimals=8)
    structure = Structure(Lattice(CELL), ["Li"] * N_LI + ["Pb"] * N_HOST, start, coords_are_cartesian=True)
    return path, structure, displacements


def pymatgen_analyzer(structure, displacements):
    return analyzer.DiffusionAnalyzer(
        structure, displacements.transpose(1, 0, 2), "Li", 900, time_step=1, step_skip=100
    )


def test_same_displacements_and_estimator_reproduce_pymatgen(trajectory):
    path, structure, _ = trajectory
    li = read_species_trajectory(path, "Li").positions
    displacements = np.zeros((N_FRAMES, len(structure), 3))
    displacements[:, :N_LI] = li - li[0]  # centre-of-mass frame, framework at rest
    reference = pymatgen_analyzer(structure, displacements)
    lags = np.rint(reference.dt / 100).astype(int)  # pymatgen dt in fs, 100 fs per frame
    for ours, diffusivity, std in (
        (msd_self(li).sum(1), reference.diffusivity, reference.diffusivity_std_dev),
        (msd_collective(li).sum(1), reference.chg_diffusivity, reference.chg_diffusivity_std_dev),
    ):
        d_ours, _ = analyzer.get_diffusivity_from_msd(ours[lags], reference.dt, "max")
        assert 0 < std < 1e-3 * diffusivity
        assert d_ours == pytest.approx(diffusivity, abs=2 * std)


def test_ionflow_estimate_agrees_within_sampling_error(trajectory):
    path, structure, displacements = trajectory
    reference = pymatgen_analyzer(structure, displacements)
    summary = analyse_runs([path], temperature_K=900, dt_ps=DT_PS, n_segments=5, fit_window_ps=(1.0, 20.0)).to_json()
    for key, theirs in (("D_self_cm2_s", reference.diffusivity), ("D_collective_cm2_s", reference.chg_diffusivity)):
        # pymatgen's own sampling error is taken equal to ours, hence √2
        error = np.sqrt(2) * summary[f"{key}_std"] / np.sqrt(summary["n_segments"])
        assert summary[key] == pytest.approx(theirs, abs=3 * error)
    assert summary["D_self_cm2_s"] == pytest.approx(0.4 * A2_PER_PS_TO_CM2_PER_S, rel=0.05)
    assert summary["haven_ratio"] == pytest.approx(0.5, rel=0.3)  # groups of two ions
