"""Dataset screening, split and the DeePMD npy writer (virial convention vs finite differences)."""

import numpy as np
import pytest
from ase.build import bulk
from ase.calculators.lj import LennardJones
from ase.calculators.singlepoint import SinglePointCalculator

from ionflow.potentials.dataset import screen_frames, train_test_split, write_deepmd_npy, write_failures
from ionflow.potentials.deepmd_data import system_frames


def _lj_frame(seed=0, strain=0.0):
    atoms = bulk("Ar", "fcc", a=5.26, cubic=True).repeat(2)
    atoms.rattle(0.05, seed=seed)
    atoms.set_cell(atoms.cell * (1 + strain), scale_atoms=True)
    atoms.calc = LennardJones(sigma=3.4, epsilon=0.0104, rc=8.0, smooth=True)
    frame = atoms.copy()
    frame.calc = SinglePointCalculator(
        frame, energy=atoms.get_potential_energy(), forces=atoms.get_forces(), stress=atoms.get_stress()
    )
    return frame, atoms


def test_screen_records_nonfinite_and_absurd_forces():
    good, _ = _lj_frame(0)
    nan = good.copy()
    nan.calc = SinglePointCalculator(nan, energy=np.nan, forces=good.get_forces(), stress=good.get_stress())
    huge = good.copy()
    forces = good.get_forces().copy()
    forces[3, 1] = 120.0
    huge.calc = SinglePointCalculator(huge, energy=1.0, forces=forces, stress=good.get_stress())
    unlabelled = good.copy()
    usable, failures = screen_frames([good, nan, huge, unlabelled], 50.0, source="run.extxyz")
    assert usable == [good]
    assert [f["index"] for f in failures] == [1, 2, 3]
    assert "non-finite" in failures[0]["reason"]
    assert "120.0 eV/A above 50.0" in failures[1]["reason"]
    assert failures[2]["reason"].startswith("missing label")


def test_split_is_disjoint_and_complete():
    frames = [_lj_frame(i)[0] for i in range(10)]
    train, test = train_test_split(frames, 0.2, seed=3)
    assert len(test) == 2 and len(train) == 8
    assert {id(f) for f in train}.isdisjoint({id(f) for f in test})


def test_failures_table_has_header_even_when_empty(tmp_path):
    write_failures([], tmp_path / "f.csv")
    assert (tmp_path / "f.csv").read_text().strip() == "source,index,reason"


def test_npy_virial_is_minus_strain_derivative_of_energy(tmp_path):
    frame, atoms = _lj_frame(1)
    write_deepmd_npy([frame], tmp_path / "sys", ["Ar"])
    virial = np.load(tmp_path / "sys/set.000/virial.npy").reshape(3, 3)
    # W_ab = -dE/d(eps_ab) at fixed fractional coordinates: central differences.
    h = 1e-5
    numeric = np.zeros((3, 3))
    for a in range(3):
        for b in range(3):
            energies = []
            for sign in (1, -1):
                strained = atoms.copy()
                strained.calc = atoms.calc
                eps = np.eye(3)
                eps[a, b] += sign * h
                strained.set_cell(atoms.cell @ eps, scale_atoms=True)
                energies.append(strained.get_potential_energy())
            numeric[a, b] = -(energies[0] - energies[1]) / (2 * h)
    assert np.allclose(virial, (numeric + numeric.T) / 2, atol=1e-5)
    assert np.allclose(np.load(tmp_path / "sys/set.000/coord.npy").reshape(-1, 3), frame.positions)
    assert (tmp_path / "sys/type.raw").read_text().split() == ["0"] * len(frame)


def test_npy_writer_rejects_mixed_orderings(tmp_path):
    frame, _ = _lj_frame(0)
    other = frame.copy()
    other.symbols[0] = "Ne"
    other.calc = frame.calc
    with pytest.raises(ValueError, match="differ in atom ordering"):
        write_deepmd_npy([frame, other], tmp_path / "sys", ["Ar", "Ne"])


def test_an_empty_system_is_an_error_naming_it_before_training(tmp_path):
    """Every frame failed (NaN forces): the npy system is empty and training refuses it by name."""
    good, _ = _lj_frame(0)
    nan = good.copy()
    forces = good.get_forces().copy()
    forces[0, 0] = np.nan
    nan.calc = SinglePointCalculator(nan, energy=good.get_potential_energy(), forces=forces, stress=good.get_stress())
    usable, failures = screen_frames([nan], 50.0, source="labels.extxyz")
    assert usable == [] and failures[0]["reason"] == "non-finite energy, force or stress"
    write_deepmd_npy(usable, tmp_path / "train", ["Ar"])
    with pytest.raises(ValueError, match=r"train: no labelled frames; every frame failed its labels"):
        system_frames(tmp_path / "train")
    write_deepmd_npy([good, _lj_frame(1)[0]], tmp_path / "ok", ["Ar"])
    assert system_frames(tmp_path / "ok") == 2
