"""Reference backends: VASP inputs against the protocol sheet, xTB against tblite and finite
differences, start-up checks and the error paths of engines that cannot run here."""

import numpy as np
import pytest
from ase import Atoms
from ase.build import bulk
from ase.io import read

from ionflow.reference import ReferenceFailure, check_available, make_calculator
from ionflow.reference.vasp import PRESETS, STUDY_A_KPOINTS, parse_incar, potcar_choices, write_vasp_inputs


def _licl(seed=2):
    atoms = bulk("LiCl", "rocksalt", a=5.13, cubic=True)
    atoms.rattle(0.05, seed=seed)
    return atoms


def _lzc_like():
    atoms = bulk("LiCl", "rocksalt", a=5.13, cubic=True)
    atoms.symbols[0] = "Zr"
    return atoms


# PROTOCOLS.md, "Reference calculations": Study A relax / AIMD and Study B, key by key.
SHEET = {
    "study_a_relax": {"GGA": "PE", "IVDW": 12, "ENCUT": 600, "EDIFFG": -0.001, "ISIF": 3},
    "study_a_aimd": {"GGA": "PE", "IVDW": 12, "ENCUT": 450, "NSW": 0},
    "study_b_static": {"GGA": "PE", "IVDW": 12, "ENCUT": 550, "KSPACING": 0.3, "EDIFF": 1e-6},
    "study_b_relax": {
        "GGA": "PE",
        "IVDW": 12,
        "ENCUT": 550,
        "KSPACING": 0.3,
        "EDIFF": 1e-6,
        "EDIFFG": -0.01,
        "ISIF": 3,
    },
}


@pytest.mark.parametrize("preset", sorted(SHEET))
def test_vasp_incar_matches_the_sheet(tmp_path, preset):
    kpoints = None if preset.startswith("study_b") else STUDY_A_KPOINTS["beta"]
    write_vasp_inputs(_lzc_like(), tmp_path, PRESETS[preset], kpoints)
    incar = parse_incar((tmp_path / "INCAR").read_text())
    for key, value in SHEET[preset].items():
        assert incar[key] == value, key
    assert "LDAU" not in incar  # no +U on Zr


@pytest.mark.parametrize("phase,mesh", [("alpha", "2 2 4"), ("beta", "4 2 4")])
def test_vasp_study_a_kpoints_per_phase(tmp_path, phase, mesh):
    write_vasp_inputs(_lzc_like(), tmp_path, PRESETS["study_a_aimd"], STUDY_A_KPOINTS[phase])
    lines = (tmp_path / "KPOINTS").read_text().splitlines()
    assert lines[2] == "Gamma" and lines[3] == mesh


def test_vasp_study_b_uses_kspacing_without_kpoints_file(tmp_path):
    write_vasp_inputs(_lzc_like(), tmp_path, PRESETS["study_b_static"])
    assert not (tmp_path / "KPOINTS").exists()


def test_vasp_poscar_groups_species_and_maps_back(tmp_path):
    atoms = _lzc_like()
    order = write_vasp_inputs(atoms, tmp_path, PRESETS["study_a_aimd"], [1, 1, 1])
    poscar = read(tmp_path / "POSCAR")
    assert list(dict.fromkeys(poscar.get_chemical_symbols())) == ["Zr", "Cl", "Li"]
    assert np.allclose(poscar.positions, atoms.positions[order], atol=1e-8)


def test_missing_vasp_is_a_start_up_error(monkeypatch):
    monkeypatch.delenv("VASP_COMMAND", raising=False)
    with pytest.raises(
        RuntimeError,
        match=r"cfg.yaml: key 'reference.backend': vasp cannot run here: "
        r"no VASP command; set reference.command",
    ):
        check_available({"backend": "vasp", "preset": "study_a_aimd"}, "cfg.yaml")
    with pytest.raises(RuntimeError, match=r"'vasp_std' .* not found on PATH"):
        check_available({"backend": "vasp", "preset": "study_a_aimd", "command": "vasp_std"}, "cfg.yaml")


def test_vasp_relaxation_preset_is_not_a_single_point_calculator():
    with pytest.raises(ValueError, match="is a VASP relaxation"):
        make_calculator({"backend": "vasp", "preset": "study_a_relax", "command": "vasp_std"})


def test_missing_cp2k_names_the_fix():
    with pytest.raises(
        RuntimeError,
        match=r"key 'labelling.reference.backend': cp2k cannot run here: "
        r"no_such_cp2k.psmp not found on PATH; install it with `make system-deps`",
    ):
        check_available({"backend": "cp2k", "executable": "no_such_cp2k.psmp"}, "cfg.yaml", key="labelling.reference")


def test_mace_without_model_file_names_key_and_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"MACE model file not found \(key 'reference.model'\)"):
        make_calculator({"backend": "mace", "model": str(tmp_path / "mace-mpa-0.model")})


def test_per_phase_kpoints_need_the_phase():
    with pytest.raises(KeyError, match="no k-mesh for phase 'gamma'"):
        make_calculator({"backend": "cp2k", "kpoints": {"beta": [2, 1, 2]}}, phase="gamma")


def test_xtb_energy_equals_direct_tblite_run():
    from ase.units import Bohr, Hartree
    from tblite.interface import Calculator

    atoms = _licl()
    atoms.calc = make_calculator({"backend": "xtb", "method": "gfn1"})
    direct = Calculator(
        "GFN1-xTB",
        atoms.numbers,
        atoms.positions / Bohr,
        lattice=atoms.cell / Bohr,
        periodic=np.array([True, True, True]),
    )
    direct.set("verbosity", 0)
    assert abs(atoms.get_potential_energy() - direct.singlepoint()["energy"] * Hartree) < 1e-6


def test_xtb_forces_and_stress_are_derivatives_of_the_energy():
    atoms = _licl()
    atoms.calc = make_calculator({"backend": "xtb"})
    forces, stress = atoms.get_forces(), atoms.get_stress(voigt=False)
    h = 1e-4
    for atom, axis in [(0, 0), (3, 1), (6, 2)]:
        energies = []
        for sign in (1, -1):
            displaced = atoms.copy()
            displaced.calc = atoms.calc
            displaced.positions[atom, axis] += sign * h
            energies.append(displaced.get_potential_energy())
        assert abs(-(energies[0] - energies[1]) / (2 * h) - forces[atom, axis]) < 1e-3
    h = 1e-4
    energies = []
    for sign in (1, -1):
        strained = atoms.copy()
        strained.calc = atoms.calc
        strained.set_cell(atoms.cell * (1 + sign * h), scale_atoms=True)
        energies.append(strained.get_potential_energy())
    # isotropic strain: dE/de = V * trace(stress); tblite's virial agrees to ~5e-4 relative
    assert (energies[0] - energies[1]) / (2 * h) == pytest.approx(atoms.get_volume() * np.trace(stress), rel=2e-3)


def test_xtb_scf_failure_raises_reference_failure():
    atoms = _licl()
    atoms.calc = make_calculator({"backend": "xtb", "method": "gfn2", "max_scf": 2})
    with pytest.raises(ReferenceFailure, match="SCF not converged"):
        atoms.get_potential_energy()


def test_vasp_potcars_are_the_recommended_semicore_sets_with_overrides(tmp_path):
    """Li_sv, Zr_sv, Y_sv and In_d are VASP's recommended PAW-PBE sets for these elements (VASP
    wiki, 'Available pseudopotentials'); Cl, O keep the standard set. The config overrides any."""
    choices = potcar_choices()
    assert {s: choices[s] for s in ("Li", "Zr", "Cl", "O", "Y", "In")} == {
        "Li": "Li_sv", "Zr": "Zr_sv", "Cl": "Cl", "O": "O", "Y": "Y_sv", "In": "In_d"
    }  # fmt: skip
    assert potcar_choices({"Zr": "Zr_pv"})["Zr"] == "Zr_pv"
    for name in ("Li_sv", "Cl"):
        (tmp_path / "potpaw_PBE" / name).mkdir(parents=True)
        (tmp_path / "potpaw_PBE" / name / "POTCAR").write_text(f"{name}\n")
    write_vasp_inputs(Atoms("LiCl", positions=[[0, 0, 0], [2.5, 0, 0]], cell=[5, 5, 5], pbc=True),
                      tmp_path / "run", PRESETS["study_b_static"], pp_path=str(tmp_path))  # fmt: skip
    assert (tmp_path / "run" / "POTCAR").read_text() == "Li_sv\nCl\n"
