"""Dynamics validation: D of a known random walk, closest pair against ASE, verdicts on made-up runs."""

import numpy as np
import pytest
from ase import Atoms
from ase.build import bulk
from ase.io import write
from ase.neighborlist import neighbor_list
from sklearn.metrics import r2_score

from ionflow.analysis.validation.dynamics import ClosestPair, framework_msd, self_diffusion
from ionflow.analysis.validation.study import force_parity_by_element
from ionflow.analysis.validation.verdict import compare, phase_verdicts
from ionflow.trajectory.species import read_species_trajectories, read_species_trajectory


def random_walk(d_axes_A2_ps, n_ions=400, n_frames=600, dt_ps=0.02, seed=1):
    """Brownian ions: steps with variance 2 D_α dt per axis, so MSD_α = 2 D_α t exactly on average."""
    rng = np.random.default_rng(seed)
    steps = rng.standard_normal((n_frames - 1, n_ions, 3)) * np.sqrt(2 * np.asarray(d_axes_A2_ps) * dt_ps)
    return np.concatenate([np.zeros((1, n_ions, 3)), np.cumsum(steps, axis=0)])


def test_self_diffusion_recovers_the_walk_and_its_anisotropy():
    d_axes = np.array([0.1, 0.1, 0.3])  # Å²/ps
    result = self_diffusion(random_walk(d_axes), 0.02)
    assert result["diffusive"] and result["note"] == ""
    assert result["msd_log_slope"] == pytest.approx(1.0, abs=0.05)
    for axis, expected in zip("xyz", d_axes * 1e-4):  # cm²/s
        assert result[f"D_{axis}_cm2_s"] == pytest.approx(expected, rel=4 * result[f"D_{axis}_cm2_s_se"] / expected)
    assert result["D_cm2_s"] == pytest.approx(d_axes.mean() * 1e-4, rel=0.1)
    assert result["D_z_over_D_x"] == pytest.approx(3.0, abs=4 * result["D_z_over_D_x_se"])


def test_caged_ions_are_not_diffusive():
    rng = np.random.default_rng(2)
    caged = 0.3 * rng.standard_normal((400, 50, 3))  # vibration about fixed sites
    result = self_diffusion(caged, 0.02)
    assert not result["diffusive"] and result["note"]


def test_closest_pair_matches_ase_distances():
    atoms = bulk("NaCl", "rocksalt", a=5.64, cubic=True).repeat(2)
    atoms.rattle(0.2, seed=4)
    expected = atoms.get_all_distances(mic=True)[np.triu_indices(len(atoms), 1)].min()
    tracker = ClosestPair()
    assert list(tracker([atoms, atoms])) == [atoms, atoms]  # frames pass through unchanged
    assert tracker.closest_A == pytest.approx(expected, rel=1e-12)
    short = ClosestPair(search_A=1.0)
    list(short([atoms]))
    assert short.closest_A == 1.0


def test_closest_pair_in_a_triclinic_cell_matches_ase_neighbor_list():
    atoms = bulk("Cu", "fcc", a=3.6).repeat((3, 2, 4))  # primitive fcc: a sheared cell
    atoms.rattle(0.25, seed=9)
    atoms.positions += 7.0  # outside the cell: wrapped by ClosestPair
    expected = neighbor_list("d", atoms, 3.0).min()
    tracker = ClosestPair()
    list(tracker([atoms]))
    assert tracker.closest_A == pytest.approx(expected, rel=1e-12) and expected < 2.5


def test_framework_msd_is_the_brute_force_msd_about_the_centre_of_mass(tmp_path):
    """Li hop, Cl vibrate: the MSD of Cl at a lag, by brute force over every time origin, in the
    centre-of-mass frame (ase masses), equals framework_msd's FFT MSD."""
    rng = np.random.default_rng(3)
    base = bulk("NaCl", "rocksalt", a=5.64, cubic=True).repeat(2)
    base.symbols = ["Li" if s == "Na" else s for s in base.get_chemical_symbols()]
    n_frames, lag = 60, 7
    li = base.symbols == "Li"
    drift = np.cumsum(rng.normal(0, 0.15, (n_frames, len(base), 3)), axis=0) * li[None, :, None]
    shake = rng.normal(0, 0.2, (n_frames, len(base), 3)) * ~li[None, :, None]
    positions = base.positions[None] + drift + shake
    frames = [Atoms(base.symbols, positions=p, cell=base.cell, pbc=True) for p in positions]
    path = tmp_path / "run.extxyz"
    write(path, frames, format="extxyz")
    masses = base.get_masses()
    com = (positions * masses[None, :, None]).sum(1) / masses.sum()
    cl = positions[:, ~li] - com[:, None]
    expected = np.mean([((cl[t + lag] - cl[t]) ** 2).sum(-1).mean() for t in range(n_frames - lag)])
    runs = read_species_trajectories(path, ("Li", "Cl"), "extxyz")  # one read, both elements
    np.testing.assert_array_equal(runs["Li"].positions, read_species_trajectory(path, "Li", "extxyz").positions)
    moved = framework_msd({"Cl": runs["Cl"].positions}, lag_ps=lag * 0.01, dt_ps=0.01)
    assert moved["Cl"] == pytest.approx(expected, rel=1e-9)
    assert framework_msd({"Cl": runs["Cl"].positions}, lag_ps=100.0, dt_ps=0.01)["Cl"] > 0  # past the end: last lag


R = np.linspace(0.05, 8.0, 160)


def _peak(centre):
    return 3.0 * np.exp(-(((R - centre) / 0.15) ** 2))


def _run(d, ratio=2.0, diffusive=True, peaks=None, closest=2.3, slope=1.0, noise=0.01, se=0.03, cl_msd=1.3):
    peaks = peaks or {"Li-Cl": 2.50, "Zr-Zr": 6.20}
    return {
        "framework_msd_A2": {"Zr": 0.5, "Cl": cl_msd},
        "D_cm2_s": d,
        "D_cm2_s_se": se * d,
        "D_z_over_D_x": ratio,
        "D_z_over_D_x_se": 0.1,
        "diffusive": diffusive,
        "note": "" if diffusive else "MSD not linear",
        "msd_log_slope": slope,
        "first_peaks_A": peaks,
        "closest_pair_A": closest,
        "r_A": R,
        "rdfs": {pair: _peak(centre) for pair, centre in peaks.items()},
        "rdf_noise": {pair: noise for pair in peaks},
    }


def test_a_faithful_student_passes():
    row = compare("alpha", 1000, _run(2e-5), _run(2.2e-5), 1.2, force_r2={"Li": 0.97, "Cl": 0.99})
    assert row["passed"] and row["note"] == ""
    assert row["D_ratio"] == pytest.approx(1.1) and row["D_ratio_se"] == pytest.approx(1.1 * 0.03 * np.sqrt(2))


@pytest.mark.parametrize(
    ("student", "r2", "reason"),
    [
        (_run(1e-4), None, "outside 0.8-1.25"),
        (_run(2e-5, ratio=0.5), None, "other side of 1"),
        (_run(2e-5, peaks={"Li-Cl": 2.50, "Zr-Zr": 1.52}), None, "RDFs differ from the teacher's (mean |Δg|): Zr-Zr"),
        (_run(2e-5, closest=0.26), None, "potential collapses"),
        (_run(2e-5), {"Li": 0.45, "Zr": 0.99}, "force R² 0.45 for Li"),
        (_run(2e-5, cl_msd=18.0), None, "the framework moves more than the teacher's"),
    ],
)
def test_an_unfaithful_student_fails_with_the_reason(student, r2, reason):
    row = compare("alpha", 1000, _run(2e-5), student, 1.2, force_r2=r2)
    assert not row["passed"] and reason in row["note"] and row["verdict"] == "failed"
    assert phase_verdicts([row, {**row, "verdict": "passed"}]) == {"alpha": "failed"}


def test_a_short_range_peak_fails_even_when_the_whole_curve_is_close():
    """A small spurious Li-Zr peak at 1.49 Å barely moves the mean |Δg| but is the first peak."""
    peaks = {"Li-Cl": 2.50, "Li-Zr": 3.82}
    teacher, student = _run(2e-5, peaks=peaks), _run(2e-5, peaks=peaks)
    student["first_peaks_A"] = {**peaks, "Li-Zr": 1.49}
    row = compare("alpha", 1100, teacher, student, 1.0)
    assert row["rdf_ok"] and row["peaks_ok"] is False and row["verdict"] == "failed"
    assert "first RDF peaks moved: Li-Zr 1.49 Å against 3.82" in row["note"]
    nearby = compare("alpha", 1100, teacher, {**student, "first_peaks_A": {**peaks, "Li-Zr": 4.0}}, 1.0)
    assert nearby["peaks_ok"]  # 0.18 Å within the default 0.3 Å


def test_the_framework_may_vibrate_more_but_not_flow():
    """Allowed: max(2 × the teacher's MSD, the teacher's + 1 Å²); 1.3 Å² → 2.6 Å²."""
    warmer = compare("alpha", 1000, _run(2e-5), _run(2e-5, cl_msd=2.5), 1.2)
    assert warmer["framework_ok"] and warmer["msd_Cl_student_A2"] == 2.5 and warmer["msd_Zr_teacher_A2"] == 0.5
    flowing = compare("alpha", 1000, _run(2e-5), _run(2e-5, cl_msd=2.7), 1.2)
    assert flowing["framework_ok"] is False and "Cl 2.7 Å² against 1.3" in flowing["note"]


def test_a_ratio_outside_the_band_by_less_than_two_standard_errors_is_inconclusive():
    """1.4 ± 0.28 (20 % on each D) is outside 0.8-1.25 by 0.15 < 2 × 0.28: too short to tell;
    the same ratio from 3 % errors is a failure; an inconclusive phase beats a passed one."""
    row = compare("alpha", 1000, _run(2e-5, se=0.2), _run(2.8e-5, se=0.2), 1.2)
    assert row["D_ratio_se"] == pytest.approx(1.4 * 0.2 * np.sqrt(2))
    assert not row["passed"] and row["verdict"] == "inconclusive" and "within 2 standard errors" in row["note"]
    sharp = compare("alpha", 1000, _run(2e-5), _run(2.8e-5), 1.2)
    assert sharp["verdict"] == "failed" and "within 2 standard errors" not in sharp["note"]
    assert phase_verdicts([row, {**row, "verdict": "passed"}]) == {"alpha": "inconclusive"}
    collapsed = compare("alpha", 1000, _run(2e-5, se=0.2), _run(2.8e-5, se=0.2, closest=0.3), 1.2)
    assert collapsed["verdict"] == "failed"


def test_a_pass_that_cannot_resolve_the_band_says_so():
    """1.1 ± 0.31 (20 % on each D) is inside 0.8-1.25, but 1.1 ± 2 × 0.31 = 0.48-1.72 reaches past
    both edges: still a pass, and the note says what it rules out; at 3 % errors no such note."""
    row = compare("alpha", 1000, _run(2e-5, se=0.2), _run(2.2e-5, se=0.2), 1.2)
    assert row["passed"] and row["verdict"] == "passed"
    assert "0.48-1.72 (2 standard errors)" in row["note"] and "rules out only larger errors" in row["note"]
    assert compare("alpha", 1000, _run(2e-5), _run(2.2e-5), 1.2)["note"] == ""


def test_a_caged_teacher_leaves_diffusion_unassessed_but_structure_judged():
    caged = _run(1e-7, diffusive=False, slope=0.1)
    row = compare("beta", 300, caged, _run(2e-7, diffusive=False, slope=0.2), 1.2)
    assert row["D_ratio_ok"] is None and row["passed"] and "not assessable" in row["note"]
    hopping = compare("beta", 300, caged, _run(5e-6, diffusive=False, slope=0.9), 1.2)
    assert hopping["D_ratio_ok"] is False and hopping["verdict"] == "failed"
    assert "the student's Li hop (d log MSD / d log t = 0.90), the teacher's do not (0.10)" in hopping["note"]


def test_a_sub_diffusive_teacher_is_compared_over_the_same_window_and_says_so():
    row = compare("beta", 1000, _run(2e-5, diffusive=False, slope=0.8), _run(4e-5, diffusive=False, slope=0.8), 1.2)
    assert row["D_ratio_ok"] is False and "MSD slope over the same window" in row["note"]


def test_the_rdf_check_allows_twice_the_teachers_own_drift():
    student = _run(2e-5, peaks={"Li-Cl": 2.70, "Zr-Zr": 6.20})
    shifted = compare("alpha", 1000, _run(2e-5), student, 1.2)
    assert not shifted["rdf_ok"] and shifted["rdf_mad_Li-Cl"] > 0.1
    drifting = compare("alpha", 1000, _run(2e-5, noise=shifted["rdf_mad_Li-Cl"]), student, 1.2)
    assert drifting["rdf_ok"] and drifting["rdf_allowed_Li-Cl"] == 2 * shifted["rdf_mad_Li-Cl"]


def test_a_two_humped_shell_whose_first_hump_is_lower_keeps_its_peak():
    """Li-Li at 1000 K (ordered α): the teacher's shell has humps at 3.57 and 4.34 Å; the student's
    first hump is lower, so its first prominent peak is the second. Its curve still has the
    teacher's maximum: that passes; a student curve with no maximum there fails."""
    peaks = {"Li-Cl": 2.50, "Li-Li": 3.57}
    teacher = _run(2e-5, peaks=peaks)
    student = _run(2e-5, peaks={**peaks, "Li-Li": 4.43})
    student["rdfs"]["Li-Li"] = 0.8 * _peak(3.50) + _peak(4.43)
    assert compare("alpha", 1000, teacher, student, 1.2)["peaks_ok"]
    student["rdfs"]["Li-Li"] = _peak(4.43)  # no maximum within 0.3 Å of 3.57
    row = compare("alpha", 1000, teacher, student, 1.2)
    assert row["peaks_ok"] is False and "Li-Li 4.43 Å against 3.57" in row["note"]
    student["first_peaks_A"]["Li-Li"] = float("nan")  # no prominent shell: a small bump at 3.5 Å does not rescue it
    student["rdfs"]["Li-Li"] = 0.05 * _peak(3.50)
    assert compare("alpha", 1000, teacher, student, 1.2)["peaks_ok"] is False


def test_a_student_shell_where_the_teacher_has_no_pair_fails():
    """Li3YCl6's student put two Y 1.55 Å apart; the teacher's nearest Y-Y lie beyond the RDF range."""
    teacher = _run(2e-5, peaks={"Li-Cl": 2.50, "Y-Y": float("nan")})
    teacher["rdfs"]["Y-Y"] = np.zeros_like(R)
    student = _run(2e-5, peaks={"Li-Cl": 2.50, "Y-Y": 1.55})
    student["rdfs"]["Y-Y"] = 0.05 * _peak(1.55)  # small: the whole-curve score stays inside 0.1
    row = compare("li3ycl6", 1000, teacher, student, 1.2)
    assert row["rdf_ok"] and row["peaks_ok"] is False and row["verdict"] == "failed"
    assert "Y-Y 1.55 Å where the teacher has no pair" in row["note"]
    teacher["rdfs"]["Y-Y"] = _peak(1.55)  # the teacher has pairs there, only no prominent peak
    assert compare("li3ycl6", 1000, teacher, student, 1.2)["peaks_ok"]


def test_weak_forces_are_named_as_the_cause_of_a_too_fast_student():
    slopes = {"Li": 0.964, "Zr": 0.985, "Cl": 0.979}  # the 8,000-step β model
    fast = compare("beta", 1000, _run(2e-5), _run(3.2e-5), 1.2, force_slope=slopes)
    assert fast["force_slope_min"] == 0.964 and fast["D_ratio_ok"] is False
    assert "Li forces 3.6 % too weak on the test set (parity slope 0.964)" in fast["note"]
    assert "train longer (deepmd.numb_steps)" in fast["note"]
    faithful = compare("beta", 1000, _run(2e-5), _run(2.1e-5), 1.2, force_slope=slopes)
    assert faithful["passed"] and "too weak" not in faithful["note"]  # reported, not a check
    slow = compare("beta", 1000, _run(2e-5), _run(1.2e-5), 1.2, force_slope=slopes)
    assert "too weak" not in slow["note"]  # weak forces do not make Li slow
    trained = compare("beta", 1000, _run(2e-5), _run(3.2e-5), 1.2, force_slope={"Li": 0.995, "Cl": 0.999})
    assert "too weak" not in trained["note"]


def test_force_parity_by_element_against_numpy():
    rng = np.random.default_rng(3)
    reference = rng.normal(0.0, 1.0, (90, 3))
    elements = np.array(["Li", "Zr", "Cl"] * 30)
    scale = np.where(elements == "Li", 0.95, 1.0)[:, None]
    predicted = scale * reference + rng.normal(0.0, 0.05, (90, 3))
    r2, slopes = force_parity_by_element({"force_ref": reference, "force_pred": predicted, "element": elements})
    for element in ("Li", "Zr", "Cl"):
        chosen = elements == element
        (expected,), *_ = np.linalg.lstsq(reference[chosen].reshape(-1, 1), predicted[chosen].ravel(), rcond=None)
        assert slopes[element] == pytest.approx(expected, rel=1e-12)
        worst = min(r2_score(reference[chosen, k], predicted[chosen, k]) for k in range(3))
        assert r2[element] == pytest.approx(worst, rel=1e-12)
    assert slopes["Li"] == pytest.approx(0.95, abs=0.03) and slopes["Cl"] == pytest.approx(1.0, abs=0.03)
