"""Query-by-committee selection: close contacts, farthest point sampling, candidates, target region."""

import numpy as np
import pytest
from ase import Atoms
from ase.data import covalent_radii

from ionflow.plan import Condition
from ionflow.potentials.active_learning import (
    candidate_frames,
    close_contact,
    farthest_point_sampling,
    in_target_region,
    pick_diverse,
    select_by_committee,
)


def _pair(symbols: str, distance: float) -> Atoms:
    return Atoms(symbols, positions=[[0, 0, 0], [distance, 0, 0]], cell=[20, 20, 20], pbc=True)


@pytest.mark.parametrize("symbols", ["LiO", "ZrCl", "OO"])
def test_close_contact_threshold_is_factor_times_covalent_radii(symbols):
    atoms = _pair(symbols, 1.0)
    limit = 0.7 * covalent_radii[atoms.numbers].sum()
    assert close_contact(_pair(symbols, limit * 0.99), 0.7)
    assert not close_contact(_pair(symbols, limit * 1.01), 0.7)


def test_close_contact_sees_periodic_images():
    atoms = Atoms("OO", positions=[[0.3, 0, 0], [9.6, 0, 0]], cell=[10, 10, 10], pbc=True)  # 0.7 A apart across x
    assert close_contact(atoms, 0.7)


def test_farthest_point_sampling_by_hand():
    points = np.array([[0.0], [1.0], [2.0], [10.0], [9.0]])
    # From 0 the farthest is 10 (index 3). Nearest-pick distances are then 1, 2, 1 for 1, 2, 9:
    # pick 2. Then 1 and 9 both sit 1 from a pick: the lower index, 1.
    assert farthest_point_sampling(points, 4, first=0) == [0, 3, 2, 1]


def test_fps_matches_brute_force():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 3))
    picks = farthest_point_sampling(X, 6, first=5)
    brute = [5]
    while len(brute) < 6:
        # the next pick maximises the minimum distance to all picks so far
        scores = [min(np.linalg.norm(X[i] - X[j]) for j in brute) for i in range(len(X))]
        brute.append(int(np.argmax(scores)))
    assert picks == brute


def test_selection_is_fps_over_candidates_above_threshold_without_close_contacts():
    rng = np.random.default_rng(2)
    deviation = rng.uniform(0, 1, 30)
    too_close = rng.uniform(0, 1, 30) < 0.3
    features = rng.normal(size=(30, 4))
    candidates = candidate_frames(deviation, too_close, 0.3)
    expected = [i for i in range(30) if deviation[i] > 0.3 and not too_close[i]]
    assert candidates.tolist() == expected
    selected = pick_diverse(candidates, deviation, features[candidates], budget=5)
    assert len(selected) == 5 and set(selected) <= set(expected)
    assert selected[0] == expected[int(np.argmax(deviation[expected]))]
    X = features[candidates]
    X = (X - X.mean(0)) / X.std(0)
    first = expected.index(selected[0])
    assert selected == [int(candidates[k]) for k in farthest_point_sampling(X, 5, first)]


def test_budget_larger_than_candidates_takes_all_and_none_gives_empty():
    deviation = np.array([0.5, 0.1, 0.9])
    candidates = candidate_frames(deviation, np.zeros(3, bool), 0.3)
    assert sorted(pick_diverse(candidates, deviation, np.eye(3)[candidates], 10)) == [0, 2]
    assert pick_diverse(np.array([], int), deviation, np.empty((0, 3)), 10) == []


@pytest.mark.parametrize(
    "name, inside",
    [
        ("nvt_T300", True),
        ("nvt_T1500", False),
        ("npt_T900_P100", True),
        ("npt_T900_P1000", False),
        ("npt_T600_P10000", False),
    ],
)
def test_target_region(name, inside):
    assert in_target_region(Condition.parse(name), [300, 1000], 1000) is inside


def committee_of_two(epsilon):
    """Forces of two models on two atoms whose ε is ``epsilon``: |f1 − f2| / 2 on atom 0 (population)."""
    forces = np.zeros((2, 2, 3))
    forces[1, 0, 0] = 2.0 * epsilon
    return forces


def test_select_by_committee_converges_only_without_candidates_in_the_target_region():
    epsilons = [0.1, 0.5, 0.8, 0.6, 0.9]
    frames = [_pair("Li2", 3.0) for _ in range(4)] + [_pair("Li2", 0.5)]  # the last one is a close contact
    forces = [committee_of_two(e) for e in epsilons]
    for k, frame in enumerate(frames):
        frame.info["feature"] = [float(k), 0.0]

    def descriptors(chosen):
        return np.array([frame.info["feature"] for frame in chosen])

    def no_descriptors(chosen):
        raise AssertionError("a converged iteration computes no descriptors")

    selection = select_by_committee(
        frames, forces, [True, False, True, False, True], descriptors, threshold_eV_A=0.3, distance_factor=0.7, budget=2
    )
    np.testing.assert_allclose(selection.deviation, epsilons)
    assert selection.too_close.tolist() == [False, False, False, False, True]
    assert selection.candidates.tolist() == [1, 2, 3]
    assert not selection.converged
    assert selection.selected == [2, 1]  # largest ε first, then the farthest in descriptor space
    sample = select_by_committee(frames, forces, [True] * 5, descriptors, 0.3, 0.7, 2, ddof=1)
    np.testing.assert_allclose(sample.deviation, np.sqrt(2) * np.array(epsilons))  # 2 models: × √(2/1)
    outside = select_by_committee(frames, forces, [True, False, False, False, True], no_descriptors, 0.3, 0.7, 2)
    assert outside.converged and outside.selected == []


def test_selection_summary_counts_and_the_target_region_deviation():
    from ionflow.potentials.active_learning import Selection, selection_summary

    selection = Selection(
        deviation=np.array([0.1, 0.5, 0.9, 2.0]),
        too_close=np.array([False, False, False, True]),
        candidates=np.array([1, 2]),
        selected=[2],
        converged=False,
    )
    summary = selection_summary(selection, [True, True, False, True], 0.3, iteration=4)
    assert (summary["iteration"], summary["frames"], summary["above_threshold"], summary["close_contact"]) == (
        4,
        4,
        3,
        1,
    )
    assert summary["candidates"] == 2 and summary["candidates_in_target_region"] == 1
    assert summary["candidate_fraction"] == 0.5 and summary["selected_frames"] == [2]
    assert summary["max_deviation_eV_A"] == 2.0  # the close contact counts here ...
    assert summary["max_deviation_target_eV_A"] == 0.5  # ... not here, nor frame 2 outside the region


def test_convergence_figure_plots_the_table_columns():
    from ionflow.potentials.nep.figures import plot_al_convergence

    rows = [
        {
            "iteration": i,
            "test_force_rmse_meV_A": f,
            "test_energy_rmse_meV_atom": e,
            "max_deviation_eV_A": d,
            "max_deviation_target_eV_A": t,
            "candidate_fraction": c,
            "threshold_eV_A": 0.3,
        }
        for i, f, e, d, t, c in [(0, 580, 150, 2.4, 1.2, 0.2), (1, 300, 40, 1.1, 0.6, 0.1), (2, 200, 9, 0.5, 0.25, 0.0)]
    ]
    fig = plot_al_convergence(rows)
    force, deviation, fraction = fig.axes[:3]
    np.testing.assert_array_equal(force.get_lines()[0].get_ydata(), [580, 300, 200])
    np.testing.assert_array_equal(deviation.get_lines()[1].get_ydata(), [1.2, 0.6, 0.25])
    np.testing.assert_array_equal(fraction.get_lines()[0].get_ydata(), [0.2, 0.1, 0.0])
    assert deviation.get_lines()[2].get_ydata()[0] == 0.3
