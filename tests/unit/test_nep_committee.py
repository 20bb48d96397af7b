"""NEP committee: training with neppo, read-back by CPUNEP, committee force deviation."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from ase.build import bulk
from calorine.calculators import CPUNEP
from calorine.nep import read_nepfile

from ionflow.potentials.nep.committee import committee_forces, max_force_deviation
from ionflow.potentials.nep.inputs import nep_parameters, write_committee, write_nep_in
from ionflow.potentials.nep.train import train_nep
from ionflow.reference.foundation import nep89_calculator
from ionflow.reference.sampling import labelled_copy

ROOT = Path(__file__).resolve().parents[2]
TINY = {
    "cutoff_A": [4.0, 3.0],
    "n_max": [4, 4],
    "basis_size": [4, 4],
    "l_max": [4, 0, 0],
    "neuron": 5,
    "zbl_A": 1.2,
    "lambda_e": 1.0,
    "lambda_f": 1.0,
    "lambda_v": 0.1,
    "batch": 4,
    "generation": 10,
    "neppo_learning_rate": [1e-2, 1e-3],
}


def _frames(n: int, seed: int):
    """Rattled rock-salt LiCl cells labelled by NEP89 (eV, eV/Å, eV/Å^3)."""
    calculator = nep89_calculator(str(ROOT / "external" / "nep89.txt"))
    rng = np.random.default_rng(seed)
    frames = []
    for _ in range(n):
        atoms = bulk("LiCl", "rocksalt", a=5.1, cubic=True)
        atoms.rattle(0.1, seed=int(rng.integers(1 << 30)))
        atoms.calc = calculator
        frames.append(labelled_copy(atoms, {}))
    return frames


@pytest.fixture(scope="module")
def committee(tmp_path_factory):
    """Four members trained by neppo on k-fold subsets (a few seconds)."""
    directory = tmp_path_factory.mktemp("committee")
    parameters = [nep_parameters(TINY, ["Li", "Cl"], "neppo", seed=k) for k in range(4)]
    write_committee(_frames(16, 0), _frames(4, 1), directory, parameters, "kfold", 0.8, seed=3)
    for k in range(1, 5):
        assert train_nep(directory / f"model{k}", "neppo")["trainer"] == "neppo"
    return directory


def test_deviation_of_identical_models_is_zero(committee):
    frames = _frames(3, 2)
    model = committee / "model1" / "nep.txt"
    for forces in committee_forces([model] * 4, frames):
        assert max_force_deviation(forces) == 0.0


def test_deviation_by_hand():
    forces = np.zeros((2, 3, 3))
    forces[0, 1] = [3.0, 0.0, 4.0]
    forces[1, 1] = [-3.0, 0.0, -4.0]
    assert max_force_deviation(forces) == pytest.approx(5.0)  # population: sqrt((25 + 25) / 2)
    assert max_force_deviation(forces, ddof=1) == pytest.approx(5.0 * np.sqrt(2))  # GPUMD: sample variance


def test_deviation_matches_cpunep(committee):
    frames = _frames(3, 4)
    models = [committee / f"model{k}" / "nep.txt" for k in range(1, 5)]
    ours = [max_force_deviation(f) for f in committee_forces(models, frames)]
    independent = []
    for frame in frames:
        forces = []
        for model in models:
            atoms = frame.copy()
            atoms.calc = CPUNEP(str(model))
            forces.append(atoms.get_forces())
        forces = np.array(forces)
        independent.append(np.sqrt(((forces - forces.mean(0)) ** 2).sum(2).mean(0)).max())
    assert np.all(np.array(independent) > 1e-3)
    assert ours == pytest.approx(independent, abs=1e-6)


def test_cpunep_reproduces_the_trainers_energies(committee):
    """neppo's own energy_train.out (predicted, target per atom) vs CPUNEP on train.xyz."""
    from ase.io import read

    member = committee / "model1"
    predicted = np.loadtxt(member / "energy_train.out")[:, 0]
    frames = read(member / "train.xyz", ":")
    calculator = CPUNEP(str(member / "nep.txt"))
    cpunep = []
    for frame in frames:
        frame.calc = calculator
        cpunep.append(frame.get_potential_energy() / len(frame))
    assert len(cpunep) == len(predicted)
    assert np.abs(np.array(cpunep) - predicted).max() < 1e-5


def test_committee_members_differ_in_training_data_share_the_test_set(committee):
    from ase.io import read

    sizes = [len(read(committee / f"model{k}" / "train.xyz", ":")) for k in range(1, 5)]
    assert sizes == [12, 12, 12, 12]  # 4-fold: each member leaves 4 of 16 out
    assert len(read(committee / "full" / "train.xyz", ":")) == 16
    tests = {(committee / name / "test.xyz").read_text() for name in ["full", "model1", "model2", "model3", "model4"]}
    assert len(tests) == 1
    seeds = [int(read_nepfile(str(committee / f"model{k}" / "nep.in"))["seed"]) for k in range(1, 5)]
    assert seeds == [0, 1, 2, 3]


def _member_copy(member: Path, directory: Path, settings: dict, iteration: int) -> Path:
    """``member``'s data in ``directory`` with the nep.in of ``settings`` at active-learning ``iteration``."""
    directory.mkdir()
    for name in ("train.xyz", "test.xyz"):
        shutil.copy(member / name, directory / name)
    parameters = nep_parameters(settings, ["Li", "Cl"], "neppo", seed=0, iteration=iteration, member="model1")
    write_nep_in(parameters, directory / "nep.in")
    return directory


def test_warm_start_begins_from_the_previous_model(committee, tmp_path):
    """At a learning rate of 1e-9, a warm start keeps model1's forces and a cold start does not;
    iteration 1 trains warm_start_generation steps."""
    member = committee / "model1"
    settings = {**TINY, "neppo_learning_rate": [1e-9, 1e-9], "warm_start_generation": 3}
    warm, cold = (_member_copy(member, tmp_path / name, settings, iteration=1) for name in ("warm", "cold"))
    assert read_nepfile(str(warm / "nep.in"))["generation"] == 3
    assert train_nep(warm, "neppo", init=member / "nep.txt")["warm_start"] == str(member / "nep.txt")
    assert train_nep(cold, "neppo")["warm_start"] is None
    forces = {}
    for name, model in [("before", member), ("warm", warm), ("cold", cold)]:
        atoms = _frames(1, 7)[0]
        atoms.calc = CPUNEP(str(model / "nep.txt"))
        forces[name] = atoms.get_forces()
    assert np.abs(forces["warm"] - forces["before"]).max() < 1e-5
    assert np.abs(forces["cold"] - forces["before"]).max() > 1e-2


def test_warm_start_from_a_model_of_other_sizes_is_refused(committee, tmp_path):
    directory = _member_copy(committee / "model1", tmp_path / "wider", {**TINY, "neuron": 6}, iteration=0)
    with pytest.raises(ValueError, match="cannot warm-start"):
        train_nep(directory, "neppo", init=committee / "model1" / "nep.txt")


def test_nep_calculator_equals_cpunep_across_structures():
    """One CPUNEP reused for structures of several cells and sizes gives CPUNEP's own results."""
    calculator = nep89_calculator(str(ROOT / "external" / "nep89.txt"))
    for frame in _frames(2, 5) + [_frames(1, 6)[0].repeat((2, 1, 1))][:2]:
        atoms = frame.copy()
        atoms.calc = calculator
        fresh = frame.copy()
        fresh.calc = CPUNEP(str(ROOT / "external" / "nep89.txt"))
        assert atoms.get_potential_energy() == pytest.approx(fresh.get_potential_energy(), abs=1e-10)
        assert np.allclose(atoms.get_forces(), fresh.get_forces(), atol=1e-10)
        assert np.allclose(atoms.get_stress(), fresh.get_stress(), atol=1e-12)
