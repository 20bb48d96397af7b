"""DeePMD training input and LAMMPS input carry the paper's settings (protocol sheet, Study A)."""

import numpy as np
import pytest
import yaml
from ase.build import bulk

from ionflow.md.lammps import md_input, write_data_file
from ionflow.plan import steps
from ionflow.potentials.deepmd import training_input
from tests.workflow.helpers import ROOT

TYPE_MAP = ["Li", "Zr", "Cl"]


def test_deepmd_input_matches_the_sheet():
    study = yaml.safe_load((ROOT / "config/study_a.yaml").read_text())
    rcuts = {name: phase["rcut"] for name, phase in study["phases"].items()}
    assert rcuts == {"ordered_alpha": 6.0, "disordered_alpha": 8.0, "beta": 8.0}
    settings = training_input(study["deepmd"], rcuts["beta"], ["train"], ["test"], TYPE_MAP)
    descriptor = settings["model"]["descriptor"]
    assert descriptor["type"] == "se_e2_a"
    assert descriptor["rcut"] == 8.0 and descriptor["rcut_smth"] == 0.7
    assert descriptor["neuron"] == [20, 40, 80]
    assert settings["model"]["fitting_net"]["neuron"] == [120, 120, 120]
    assert settings["model"]["fitting_net"]["activation_function"] == "tanh"
    assert settings["learning_rate"] == {"type": "exp", "start_lr": 1e-3, "stop_lr": 3.51e-8, "decay_steps": 5000}
    assert settings["training"]["numb_steps"] == 150000
    loss = settings["loss"]
    assert all(loss[f"limit_pref_{q}"] > 0 for q in "efv")  # energy + force + virial


def test_lammps_input_matches_the_sheet():
    study = yaml.safe_load((ROOT / "config/study_a.yaml").read_text())
    md = study["md"]
    text = md_input(
        "system.data",
        "model.pb",
        ["Li", "Zr", "Cl"],
        950.0,
        3,
        md["timestep_fs"],
        md["tdamp_fs"],
        md["equilibration_ps"],
        md["production_ps"],
        md["dump_every_fs"],
        "traj.lammpstrj",
    )
    lines = text.splitlines()
    assert "units metal" in lines
    assert "timestep 0.001" in lines  # 1 fs
    assert "fix thermostat all nvt temp 950.0 950.0 0.1" in lines  # Nose-Hoover, Tdamp 100 fs
    assert "run 5000000" in lines  # 5 ns
    assert "dump traj all custom 1000 traj.lammpstrj id type element xu yu zu" in lines
    assert "dump_modify traj sort id element Li Zr Cl" in lines
    assert "mass 1 6.9400" in lines and "mass 3 35.4500" in lines


def test_steps_refuses_fractional_steps():
    assert steps(2500.0, 1.0) == 2500
    with pytest.raises(ValueError, match="whole number"):
        steps(2.5, 1.0)


def test_data_file_types_follow_type_map(tmp_path):
    atoms = bulk("NaCl", "rocksalt", a=5.6)
    atoms.symbols[0] = "Li"
    write_data_file(atoms, tmp_path / "d.data", ["Li", "Zr", "Cl"])
    text = (tmp_path / "d.data").read_text()
    assert "3 atom types" in text
    body = text.split("Atoms")[1].strip().splitlines()[1:]
    types = sorted(int(line.split()[1]) for line in body if line.strip())
    assert types == [1, 3]


def test_collapse_check_names_the_closest_pair():
    from ionflow.md.lammps import check_no_collapse

    atoms = bulk("NaCl", "rocksalt", a=5.6, cubic=True)
    check_no_collapse(atoms, 2.7, "ok.lammpstrj")  # nearest Na-Cl is 2.8 A
    atoms.positions[1] = atoms.positions[0] + [0.3, 0.0, 0.0]
    with pytest.raises(RuntimeError, match=r"bad.lammpstrj: atoms 0 \(Na\) and 1 \(\w+\) are 0.30 A apart"):
        check_no_collapse(atoms, 1.0, "bad.lammpstrj")


def test_zbl_table_is_screened_coulomb_and_in_deepmd_pair_order():
    from ionflow.potentials.deepmd import zbl_table

    table = zbl_table(["Li", "Zr", "Cl"], r_max_A=3.0, step_A=0.5)
    assert table.shape == (6, 1 + 6)  # r, then Li-Li, Li-Zr, Li-Cl, Zr-Zr, Zr-Cl, Cl-Cl
    # Li-Li at 1 A by hand: a = 0.4685 / (2 * 3**0.23), x = r / a
    x = 1.0 / (0.46850 / (2 * 3**0.23))
    phi = (
        0.18175 * np.exp(-3.19980 * x)
        + 0.50986 * np.exp(-0.94229 * x)
        + 0.28022 * np.exp(-0.40290 * x)
        + 0.02817 * np.exp(-0.20162 * x)
    )
    assert table[1, 0] == 1.0 and table[1, 1] == pytest.approx(14.399645 * 9 / 1.0 * phi, rel=1e-12)
    assert np.all(np.diff(table[:, 4]) < 0)  # Zr-Zr repulsion falls with distance


def test_zbl_switch_enters_the_model_block_only_when_asked():
    study = yaml.safe_load((ROOT / "config/study_a.yaml").read_text())
    plain = training_input(study["deepmd"], 6.0, ["t"], ["v"], TYPE_MAP)
    assert "use_srtab" not in plain["model"]
    embedded = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    model = training_input(embedded["deepmd"], 6.0, ["t"], ["v"], TYPE_MAP)["model"]
    assert (model["use_srtab"], model["sw_rmin"], model["sw_rmax"]) == ("zbl_table.txt", 1.0, 1.6)
