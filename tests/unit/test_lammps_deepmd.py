"""LAMMPS + DeePMD computes what DeePMD-kit computes: energy and forces of one frame with the
frozen and the compressed model, through the production runs' own LAMMPS lines. A model trained
for a few steps is enough (the check is of the plumbing, not of the fit); a LAMMPS type order
that differs from the model's must show up as a mismatch."""

import numpy as np
import pytest
from ase.calculators.lj import LennardJones
from ase.io import read

from ionflow.md.lammps import lammps_single_point
from ionflow.potentials.dataset import write_deepmd_npy
from ionflow.potentials.deepmd import TRAIN_DIR, deepmd_single_point, run_dp, train, training_input
from ionflow.potentials.ensemble_energies import ensemble_energies
from ionflow.reference.errors import ReferenceFailure
from ionflow.reference.sampling import labelled_copy
from tests.workflow.helpers import ROOT

TYPE_MAP = ["Li", "Zr", "Cl"]
CIF = ROOT / "config/structures/alpha_Li2ZrCl6_P-3m1_ordered-A_RECONSTRUCTED.cif"
SETTINGS = {
    "rcut_smth": 0.5,
    "embedding_neurons": [8, 16],
    "fitting_neurons": [8, 8],
    "start_lr": 1e-3,
    "stop_lr": 1e-4,
    "decay_steps": 5,
    "numb_steps": 20,
    "batch_size": 1,
    "seed": 1,
}


def _frames(n: int):
    base = read(CIF)
    calculator = LennardJones(sigma=2.4, epsilon=0.01, rc=5.0)
    frames = []
    for k in range(n):
        atoms = base.copy()
        atoms.rattle(0.1, seed=k)
        atoms.calc = calculator
        frames.append(labelled_copy(atoms, {}))
    return frames


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """(frozen, compressed) model paths of a 20-step se_e2_a training on 6 labelled frames."""
    work = tmp_path_factory.mktemp("dp")
    frames = _frames(6)
    write_deepmd_npy(frames[:4], work / "data_train", TYPE_MAP)
    write_deepmd_npy(frames[4:], work / "data_test", TYPE_MAP)
    settings = training_input(SETTINGS, 4.5, [str(work / "data_train")], [str(work / "data_test")], TYPE_MAP)
    train(settings, work / "input.json", work / "dp.log")
    run_dp(["freeze", "-c", TRAIN_DIR, "-o", "model.pb"], work, work / "dp.log")
    run_dp(["compress", "-i", "model.pb", "-o", "model_compressed.pb"], work, work / "dp.log")
    return work / "model.pb", work / "model_compressed.pb"


@pytest.mark.parametrize("which", [0, 1], ids=["frozen", "compressed"])
def test_lammps_energy_and_forces_equal_deepmd_inference(models, which, tmp_path):
    model = models[which]
    frame = _frames(7)[-1].repeat((1, 1, 2))  # a frame the model never saw, 54 atoms
    energy, forces = deepmd_single_point(frame, model, TYPE_MAP)
    lammps_energy, lammps_forces = lammps_single_point(frame, model, TYPE_MAP, tmp_path)
    assert lammps_energy == pytest.approx(energy, abs=1e-6 * len(frame))
    np.testing.assert_allclose(lammps_forces, forces, atol=1e-6)


def test_a_wrong_type_order_in_lammps_is_caught(models, tmp_path):
    frame = _frames(7)[-1]
    energy, forces = deepmd_single_point(frame, models[0], TYPE_MAP)
    swapped, swapped_forces = lammps_single_point(frame, models[0], ["Zr", "Li", "Cl"], tmp_path)
    assert abs(swapped - energy) > 1e-3 or np.abs(swapped_forces - forces).max() > 1e-3


class _FailsOnSecondCall(LennardJones):
    """LJ that fails like an unconverged SCF on its second frame."""

    calls = 0

    def calculate(self, *args, **kwargs):
        type(self).calls += 1
        if type(self).calls == 2:
            raise ReferenceFailure("SCF did not converge")
        super().calculate(*args, **kwargs)


def test_ensemble_energies_of_a_student_against_itself_are_zero(models):
    from deepmd.calculator import DP

    frames = _frames(4)
    student = [f.copy() for f in frames[2:]]
    arrays = ensemble_energies(frames[:2], student, DP(str(models[0])), "dp", models[0], TYPE_MAP)
    np.testing.assert_allclose(arrays["du_student_eV"], 0.0, atol=1e-8)
    np.testing.assert_allclose(arrays["force_ms_student"], 0.0, atol=1e-12)
    energy, forces = deepmd_single_point(frames[0], models[0], TYPE_MAP)  # the teacher is LJ here
    assert arrays["du_teacher_eV"][0] == pytest.approx(energy - frames[0].get_potential_energy(), abs=1e-8)
    assert arrays["force_ms_teacher"][0] == pytest.approx(np.mean((forces - frames[0].get_forces()) ** 2))


def test_ensemble_energies_leave_out_and_count_frames_the_reference_cannot_label(models):
    frames = _frames(4)
    calculator = _FailsOnSecondCall(sigma=2.4, epsilon=0.01, rc=5.0)
    arrays = ensemble_energies(frames[:1], [f.copy() for f in frames[1:]], calculator, "lj", models[0], TYPE_MAP)
    assert arrays["frames_failed"] == 1
    assert len(arrays["du_student_eV"]) == 2
