"""CP2K backend against a direct cp2k.psmp run on the same input, outside ionflow."""

import re
import shutil
import subprocess

import numpy as np
import pytest
from ase.build import bulk

from ionflow.reference import ReferenceFailure, make_calculator
from ionflow.reference.cp2k import cp2k_input, gth_valence

pytestmark = pytest.mark.skipif(shutil.which("cp2k.psmp") is None, reason="needs CP2K: make system-deps")

HARTREE_EV_CODATA_2018 = 27.211386245988  # the constant CP2K 2023 itself uses
SETTINGS = {"cutoff_Ry": 150, "kpoints": None, "max_scf": 50, "eps_scf": 1e-7}


def _cell():
    atoms = bulk("LiCl", "rocksalt", a=5.13)  # 2 atoms: a CP2K single point in seconds
    atoms.rattle(0.05, seed=2)
    return atoms


def test_energy_equals_direct_cp2k_run(tmp_path):
    atoms = _cell()
    atoms.calc = make_calculator({"backend": "cp2k", **SETTINGS})
    energy = atoms.get_potential_energy()
    (tmp_path / "direct.inp").write_text(cp2k_input(atoms, **SETTINGS))
    subprocess.run(
        ["cp2k.psmp", "-i", "direct.inp", "-o", "direct.out"],
        cwd=tmp_path,
        check=True,
        env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"},
    )
    text = (tmp_path / "direct.out").read_text()
    direct_Ha = float(re.findall(r"Total FORCE_EVAL \( QS \) energy \[(?:a\.u\.|hartree)\]:\s+(\S+)", text)[-1])
    assert abs(energy - direct_Ha * HARTREE_EV_CODATA_2018) < 1e-6
    assert atoms.get_forces().shape == (2, 3) and atoms.get_stress().shape == (6,)


def test_non_converging_scf_raises_reference_failure():
    atoms = _cell()
    atoms.calc = make_calculator({"backend": "cp2k", **SETTINGS, "max_scf": 2})
    with pytest.raises(ReferenceFailure, match="SCF not converged"):
        atoms.get_potential_energy()


def test_valence_is_read_from_cp2ks_own_data_files(tmp_path):
    """CP2K's documented GTH-PBE valences (H q1, Li q3, O q6, Cl q7, Zr q12) and the third and
    fourth materials' cations (Y q11, In q13), read from the installed BASIS_MOLOPT."""
    expected = {"H": 1, "Li": 3, "O": 6, "Cl": 7, "Zr": 12, "Y": 11, "In": 13}
    assert {symbol: gth_valence(symbol) for symbol in expected} == expected
    (tmp_path / "BASIS_MOLOPT").write_text(" Li DZVP-MOLOPT-SR-GTH DZVP-MOLOPT-SR-GTH-q3\n")
    (tmp_path / "GTH_POTENTIALS").write_text("Li GTH-PBE-q1 GTH-PBE\n")
    with pytest.raises(ValueError, match="GTH_POTENTIALS has no GTH-PBE-q3 for Li"):
        gth_valence("Li", tmp_path)
    with pytest.raises(ValueError, match="BASIS_MOLOPT has no DZVP-MOLOPT-SR-GTH basis for Zr"):
        gth_valence("Zr", tmp_path)


def test_forces_and_stress_are_derivatives_of_cp2ks_own_energy():
    """Central differences of CP2K's energy (eV) give its force (eV/Å) and stress (eV/Å³, ASE's
    sign), so ionflow parses both with the right unit and sign. At 400 Ry the grid's egg-box
    error is below 1e-3 eV/Å (at 150 Ry it is ~0.015; measured 2026-12-06); ~5 single points, on
    two MPI ranks (14 s each instead of 20 on one; the same energy to 1e-12 eV)."""
    atoms = _cell()
    calculator = make_calculator({"backend": "cp2k", **SETTINGS, "cutoff_Ry": 400, "eps_scf": 1e-9, "ranks": 2})
    atoms.calc = calculator
    forces, stress = atoms.get_forces(), atoms.get_stress(voigt=False)

    def energy(moved):
        moved.calc = calculator
        return moved.get_potential_energy()

    h, eps = 0.01, 0.002  # Å, strain
    plus, minus = atoms.copy(), atoms.copy()
    plus.positions[0, 0] += h
    minus.positions[0, 0] -= h
    assert -(energy(plus) - energy(minus)) / (2 * h) == pytest.approx(forces[0, 0], abs=2e-3)
    strained = []
    for sign in (1, -1):
        moved = atoms.copy()
        moved.set_cell(atoms.cell.array @ np.diag([1 + sign * eps, 1, 1]), scale_atoms=True)
        strained.append(energy(moved))
    assert (strained[0] - strained[1]) / (2 * eps) / atoms.get_volume() == pytest.approx(stress[0, 0], rel=0.01)
