"""Agreement with pymatgen-analysis-diffusion's DiffusionAnalyzer on one trajectory."""

import numpy as np
import pytest

diffusion_analyzer = pytest.importorskip("pymatgen.analysis.diffusion.analyzer")
from pymatgen.core import Lattice, Structure  # noqa: E402

from ionflow.transport import analyse_runs  # noqa: E402
from ionflow.transport.synthetic import random_walk_steps, write_lammps_dump  # noqa: E402

DT_PS = 0.1


def test_matches_pymatgen_diffusivity_and_charge_diffusivity(tmp_path):
    rng = np.random.default_rng(2)
    n_li, n_frames, cell = 96, 3000, np.diag([20.0, 20.0, 20.0])
    numbers = np.array([3] * n_li + [17] * 32)
    start = rng.random((len(numbers), 3)) @ cell
    displacements = np.zeros((n_frames, len(numbers), 3))
    displacements[:, :n_li] = random_walk_steps(rng, n_frames, n_li, 0.4, DT_PS, group_size=2)
    path = tmp_path / "traj.lammpstrj"
    write_lammps_dump(path, numbers, start + displacements, cell, decimals=8)

    structure = Structure(Lattice(cell), ["Li"] * n_li + ["Cl"] * 32, start, coords_are_cartesian=True)
    reference = diffusion_analyzer.DiffusionAnalyzer(
        structure, displacements.transpose(1, 0, 2), "Li", 900, time_step=1, step_skip=100
    )
    # pymatgen fits from 1 ps up to the whole run; use the same window
    result = analyse_runs([path], temperature_K=900, dt_ps=DT_PS, fit_window_ps=(1.0, (n_frames - 1) * DT_PS))
    summary = result.to_json()
    assert summary["D_self_cm2_s"] == pytest.approx(reference.diffusivity, abs=2 * reference.diffusivity_std_dev)
    assert summary["D_collective_cm2_s"] == pytest.approx(
        reference.chg_diffusivity, abs=2 * reference.chg_diffusivity_std_dev
    )
    # groups of two: H_R near 1/2 in both codes
    assert reference.diffusivity / reference.chg_diffusivity == pytest.approx(0.5, rel=0.4)
    assert summary["haven_ratio"] == pytest.approx(0.5, rel=0.4)
