"""NEP MD inputs and the CPU stand-in: GPUMD run.in, conditions, dump.xyz and thermo.out."""

import hashlib
from pathlib import Path

import numpy as np
import pytest
from ase import units
from ase.build import bulk
from ase.io import read
from calorine.gpumd import read_thermo

from ionflow.md.nep import run_md
from ionflow.md.nep_inputs import MDSettings, Stage, gpumd_run_in, production_ps
from ionflow.plan import Condition

ROOT = Path(__file__).resolve().parents[2]
PAPER = MDSettings(
    timestep_fs=1.0, tau_T_fs=100, tau_p_fs=1000, elastic_GPa=100, correct_velocity_every=10, thermo_every=1000, seed=1
)


@pytest.mark.parametrize("name", ["nvt_T300", "npt_T900_P1000", "npt_T1500_P10000"])
def test_condition_names_round_trip(name):
    assert Condition.parse(name).name == name


def test_bad_condition_is_named():
    with pytest.raises(ValueError, match="nvt_T<K> or npt_T<K>_P<bar>"):
        Condition.parse("nve_T300")


def test_production_lengths_follow_the_paper():
    """Paper 2: interfaces 20 ns; bulk 5 ns below 500 K, 2 ns above (config/study_b.yaml)."""
    md = {"interface_ps": 20000, "bulk_ps": 2000, "bulk_long": {"below_K": 500, "ps": 5000}}
    assert [production_ps(md, False, t) for t in (300, 450, 499.9, 500, 700)] == [5000, 5000, 5000, 2000, 2000]
    assert production_ps(md, True, 300) == 20000
    del md["bulk_long"]
    assert production_ps(md, False, 300) == 2000


def test_run_in_has_the_papers_npt_settings():
    """Paper B production: BDP + SCR at 1 bar, dt 1 fs, momentum removed every 10 steps."""
    stage = Stage(Condition("npt", 400, 1.0), steps=20_000_000, dump_every=10_000)
    lines = gpumd_run_in([stage], PAPER).splitlines()
    assert lines[:3] == ["potential nep.txt", "velocity 400", "time_step 1"]
    ensemble = lines[3].split()
    assert ensemble[:5] == ["ensemble", "npt_scr", "400", "400", "100"]
    assert [float(v) for v in ensemble[5:8]] == [1e-4] * 3  # 1 bar in GPa
    assert ensemble[8:11] == ["0", "0", "0"] and ensemble[11:17] == ["100"] * 6 and ensemble[17] == "1000"
    assert lines[4:] == ["correct_velocity 10", "dump_thermo 1000", "dump_xyz 10000 dump.xyz", "run 20000000"]


def test_nvt_run_in_uses_bdp():
    text = gpumd_run_in([Stage(Condition("nvt", 3000), 1000, 50)], PAPER)
    assert "ensemble nvt_bdp 3000 3000 100\n" in text


def test_cpu_stand_in_writes_gpumd_files(tmp_path):
    atoms = bulk("ZrO2", "fluorite", a=5.1)
    stages = [Stage(Condition("nvt", 300), 10, 0), Stage(Condition("npt", 300, 1000), 20, 5)]
    settings = MDSettings(
        timestep_fs=1.0, tau_T_fs=100, tau_p_fs=1000, elastic_GPa=100, correct_velocity_every=10, thermo_every=5, seed=1
    )
    n = run_md(atoms, ROOT / "external" / "nep89.txt", stages, settings, tmp_path, tmp_path / "log")
    frames = read(tmp_path / "dump.xyz", ":")
    assert n == len(frames) == 4
    assert [f.info["time_ps"] for f in frames] == pytest.approx([0.015, 0.020, 0.025, 0.030])
    thermo = read_thermo(str(tmp_path / "thermo.out"))
    assert len(thermo) == 6
    # kinetic energy and temperature columns agree: K = 3/2 N k_B T (momentum removal aside)
    ratio = thermo.kinetic_energy / (1.5 * len(atoms) * units.kB * thermo.temperature)
    assert np.allclose(ratio, 1.0, rtol=0.2)
    assert np.allclose(thermo.cell_xx.iloc[-1], frames[-1].cell[0, 0], atol=1e-6)
    assert not list(tmp_path.glob("*.tmp")) and not (tmp_path / "chunks").exists()
    model = ROOT / "external" / "nep89.txt"
    first = (tmp_path / "run.in").read_text().splitlines()[0]
    assert first == f"# nep.txt is {model} (sha256 {hashlib.sha256(model.read_bytes()).hexdigest()})"


def test_gpu_engines_without_a_gpu_say_what_to_do(tmp_path):
    """A GPU rule run on a machine without GPUMD (e.g. under profiles/local) fails with the fix."""
    from ionflow.potentials.nep.train import train_nep

    with pytest.raises(RuntimeError, match="nep executable .* not on PATH; set nep.trainer: neppo"):
        train_nep(tmp_path, "nep")
    with pytest.raises(RuntimeError, match="gpumd is not on PATH.*profiles/slurm.*cpunep"):
        run_md(
            bulk("ZrO2", "fluorite", a=5.1),
            ROOT / "external" / "nep89.txt",
            [Stage(Condition("nvt", 300), 10)],
            MDSettings(1.0, 100, 1000, 100, 10, 5, 1, engine="gpumd"),
            tmp_path,
            tmp_path / "log",
        )
