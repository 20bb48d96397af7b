"""`ionflow transport` and `ionflow arrhenius` from the command line."""

import json

import ase
import ase.io
import numpy as np
import pytest

from ionflow.analysis.transport.arrhenius import K_B_EV
from ionflow.cli import main
from ionflow.trajectory.synthetic import random_walk_steps, write_lammps_dump

CELL = np.array([[9.0, 0.0, 0.0], [2.0, 8.0, 0.0], [1.0, -1.0, 10.0]])


@pytest.fixture(scope="module")
def same_motion(tmp_path_factory):
    """One motion written as an unwrapped LAMMPS dump and as a wrapped extxyz."""
    rng = np.random.default_rng(4)
    numbers = np.array([3] * 16 + [40] * 4 + [17] * 24)
    positions = np.repeat((rng.random((44, 3)) @ CELL)[None], 400, axis=0)
    positions[:, :16] += random_walk_steps(rng, 400, 16, 0.3, 0.1, group_size=2)
    folder = tmp_path_factory.mktemp("cli")
    write_lammps_dump(folder / "traj.lammpstrj", numbers, positions, CELL, decimals=9)
    frames = []
    for frame in positions:
        atoms = ase.Atoms(numbers=numbers, positions=frame, cell=CELL, pbc=True)
        atoms.wrap()
        frames.append(atoms)
    ase.io.write(folder / "traj.extxyz", frames)
    return folder


def run_transport(folder, name, *extra):
    out = folder / f"{name}.json"
    code = main(
        [
            "transport",
            str(folder / name),
            "--temperature",
            "950",
            "--dt-ps",
            "0.1",
            "--segments",
            "4",
            "--json",
            str(out),
            *extra,
        ]
    )
    assert code == 0
    return json.loads(out.read_text())


def test_wrapped_extxyz_and_lammps_dump_give_the_same_numbers(same_motion, capsys):
    dump = run_transport(same_motion, "traj.lammpstrj")
    progress = capsys.readouterr().err
    assert "traj.lammpstrj: 100% (400 frames)" in progress and "50%" in progress
    extxyz = run_transport(same_motion, "traj.extxyz", "--fit-window-ps", *map(str, dump["fit_window_ps"]))
    assert dump["n_segments"] == extxyz["n_segments"] == 4 and dump["n_ions"] == 16
    for key in ("D_self_cm2_s", "D_collective_cm2_s", "haven_ratio", "sigma_S_cm", "sigma_S_cm_std"):
        assert extxyz[key] == pytest.approx(dump[key], rel=1e-6)
    for axis in "xyz":
        assert extxyz["directional"][axis]["sigma_S_cm"] == pytest.approx(
            dump["directional"][axis]["sigma_S_cm"], rel=1e-6
        )
    assert dump["D_self_cm2_s"] == pytest.approx(0.3e-4, rel=0.25)
    assert dump["volume_A3"] == pytest.approx(abs(np.linalg.det(CELL)))


def test_truncated_file_fails_with_file_and_frame(same_motion, capsys, tmp_path):
    lines = (same_motion / "traj.lammpstrj").read_text().splitlines(keepends=True)
    broken = tmp_path / "broken.lammpstrj"
    broken.write_text("".join(lines[: 53 * 10 + 20]))  # 10 frames of 53 lines, then 11 atoms
    code = main(
        [
            "transport",
            str(broken),
            "--temperature",
            "950",
            "--dt-ps",
            "0.1",
            "--quiet",
            "--json",
            str(tmp_path / "out.json"),
        ]
    )
    assert code == 1
    assert "broken.lammpstrj: frame 10 is truncated (expected 44 atoms, found 11)" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


def test_arrhenius_over_transport_results(tmp_path, capsys):
    paths = []
    for temperature in (750, 850, 950, 1050):
        sigma = 1e-3 * np.exp(-0.3 / K_B_EV * (1 / temperature - 1 / 300))
        path = tmp_path / f"T{temperature}.json"
        path.write_text(
            json.dumps(
                {
                    "temperature_K": temperature,
                    "sigma_S_cm": sigma,
                    "sigma_S_cm_sem": 0.1 * sigma,
                    "diffusive": temperature != 750,
                }
            )
        )
        paths.append(str(path))
    assert main(["arrhenius", *paths, "--json", str(tmp_path / "fit.json")]) == 0
    fit = json.loads((tmp_path / "fit.json").read_text())
    assert fit["E_a_eV"] == pytest.approx(0.3, rel=1e-9)
    assert fit["sigma_300K_S_cm"] == pytest.approx(1e-3, rel=1e-9)
    assert fit["weighted"] is True and fit["E_a_eV_std"] > 0
    assert fit["temperatures_used_K"] == [850, 950, 1050] and fit["note"] == "not diffusive at 750 K"
    assert "E_a 0.300" in capsys.readouterr().out
    assert main(["arrhenius", *paths[:2], "--json", str(tmp_path / "two.json")]) == 0
    assert "no Arrhenius fit" in capsys.readouterr().out
    (tmp_path / "bad.json").write_text("{}")
    assert main(["arrhenius", str(tmp_path / "bad.json"), paths[0], "--json", str(tmp_path / "x.json")]) == 1
