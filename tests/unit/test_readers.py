"""Trajectory readers: LAMMPS dumps (fast path), extxyz, ASE .traj, unwrapping, errors."""

import gzip
from pathlib import Path

import ase
import ase.io
import numpy as np
import pytest
from ase.io.trajectory import Trajectory

from ionflow.trajectory import blocks, extxyz, lammps_dump
from ionflow.trajectory.frame import TrajectoryError
from ionflow.trajectory.readers import detect_format, iter_frames
from ionflow.trajectory.species import read_species_trajectory
from ionflow.trajectory.synthetic import random_walk_steps, write_lammps_dump

TRICLINIC = np.array([[10.0, 0.0, 0.0], [-3.0, 9.0, 0.0], [2.0, 1.5, 11.0]])
NUMBERS = np.array([3, 3, 3, 40, 17, 17])


def moving_positions(n_frames=40, seed=0):
    rng = np.random.default_rng(seed)
    start = rng.random((6, 3)) @ TRICLINIC
    walk = np.zeros((n_frames, 6, 3))
    walk[:, :3] = random_walk_steps(rng, n_frames, 3, 2.0, 0.1)  # crosses cell faces
    return start + walk


def wrap(positions):
    fractional = positions @ np.linalg.inv(TRICLINIC)
    return (fractional - np.floor(fractional)) @ TRICLINIC, np.floor(fractional).astype(int)


def dump_text(columns, rows_per_frame, cell=TRICLINIC, timesteps=None):
    """LAMMPS dump text with given column names and rows (lists of tokens) per frame."""
    (lx, _, _), (xy, ly, _), (xz, yz, lz) = cell
    low, high = min(0, xy, xz, xy + xz), max(0, xy, xz, xy + xz)
    bounds = f"{low} {lx + high} {xy}\n{min(0, yz)} {ly + max(0, yz)} {xz}\n0 {lz} {yz}\n"
    text = ""
    for index, rows in enumerate(rows_per_frame):
        step = index * 100 if timesteps is None else timesteps[index]
        text += f"ITEM: TIMESTEP\n{step}\nITEM: NUMBER OF ATOMS\n{len(rows)}\n"
        text += f"ITEM: BOX BOUNDS xy xz yz pp pp pp\n{bounds}ITEM: ATOMS {' '.join(columns)}\n"
        text += "".join(" ".join(str(token) for token in row) + "\n" for row in rows)
    return text


def test_lammps_dump_unwrapped_triclinic_roundtrip(tmp_path):
    positions = moving_positions()
    path = tmp_path / "traj.lammpstrj"
    write_lammps_dump(path, NUMBERS, positions, TRICLINIC, decimals=8)
    frames = list(iter_frames(path))
    assert len(frames) == 40
    assert np.allclose(frames[0].cell.array, TRICLINIC, atol=1e-9)
    assert frames[5].get_chemical_symbols() == ["Li", "Li", "Li", "Zr", "Cl", "Cl"]
    assert frames[5].pbc.all()
    assert np.max(np.abs(frames[17].positions - positions[17])) < 1e-7


def test_wrapped_dump_with_image_flags_shuffled_ids_and_type_map(tmp_path):
    positions = moving_positions()
    wrapped, images = wrap(positions)
    order = [4, 0, 5, 2, 1, 3]  # not sorted by id
    types = {3: 1, 40: 2, 17: 3}
    frames = [[[i + 1, types[NUMBERS[i]], *wrapped[t, i], *images[t, i]] for i in order] for t in range(len(positions))]
    path = tmp_path / "dump.wrapped"
    path.write_text(dump_text(["id", "type", "x", "y", "z", "ix", "iy", "iz"], frames))
    with pytest.raises(TrajectoryError, match="--type-map Li Zr Cl"):
        read_species_trajectory(path, "Li")
    atoms = next(iter_frames(path, "lammps-dump", type_map=["Li", "Zr", "Cl"]))
    assert atoms.get_chemical_symbols() == ["Li", "Li", "Li", "Zr", "Cl", "Cl"]
    assert np.array_equal(atoms.arrays["image"], images[0])
    with_images = read_species_trajectory(path, "Li", type_map=["Li", "Zr", "Cl"])
    path_no_images = tmp_path / "nimg.lammpstrj"
    path_no_images.write_text(
        dump_text(
            ["id", "element", "x", "y", "z"],
            [[row[:1] + [("Li", "Zr", "Cl")[row[1] - 1]] + row[2:5] for row in f] for f in frames],
        )
    )
    by_minimum_image = read_species_trajectory(path_no_images, "Li")
    li = positions[:, :3]
    relative = li - li[0]
    for trajectory in (with_images, by_minimum_image):
        moved = trajectory.positions - trajectory.positions[0] + (trajectory.com - trajectory.com[0])[:, None]
        assert np.max(np.abs(moved - relative)) < 1e-9
    assert np.abs(images[:, :3]).max() >= 1  # the walkers really cross the cell faces


def test_extxyz_wrapped_and_ase_traj_unwrap_by_minimum_image(tmp_path):
    positions = moving_positions()
    wrapped, _ = wrap(positions)
    frames = [ase.Atoms(numbers=NUMBERS, positions=p, cell=TRICLINIC, pbc=True) for p in wrapped]
    ase.io.write(tmp_path / "traj.extxyz", frames)
    with Trajectory(tmp_path / "traj.traj", "w") as handle:
        for atoms in frames:
            handle.write(atoms)
    for name in ("traj.extxyz", "traj.traj"):
        trajectory = read_species_trajectory(tmp_path / name, "Li")
        moved = trajectory.positions + trajectory.com[:, None]
        assert np.max(np.abs((moved - moved[0]) - (positions[:, :3] - positions[0, :3]))) < 1e-6
        assert trajectory.volume_A3 == pytest.approx(abs(np.linalg.det(TRICLINIC)))
        assert trajectory.n_atoms == 6


def test_centre_of_mass_is_mass_weighted_over_all_atoms(tmp_path):
    positions = moving_positions(5)
    path = tmp_path / "traj.lammpstrj"
    write_lammps_dump(path, NUMBERS, positions, TRICLINIC, decimals=8)
    trajectory = read_species_trajectory(path, "Li")
    masses = np.array([6.94, 6.94, 6.94, 91.224, 35.45, 35.45])
    expected = masses @ positions[3] / masses.sum()
    assert np.allclose(trajectory.com[3], expected, atol=2e-3)
    assert np.allclose(trajectory.positions[3], positions[3, :3] - trajectory.com[3], atol=1e-7)


def test_truncated_dump_names_file_and_frame(tmp_path):
    path = tmp_path / "traj.lammpstrj"
    write_lammps_dump(path, NUMBERS, moving_positions(), TRICLINIC)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[: 15 * 37 + 9 + 2]))  # 37 whole frames + 2 atoms of frame 37
    with pytest.raises(
        TrajectoryError,
        match=r"traj.lammpstrj: frame 37 is truncated \(expected 6 atoms, "
        r"found 2\); rerun the MD or drop the last frame with --max-frames 37",
    ):
        read_species_trajectory(path, "Li")
    assert read_species_trajectory(path, "Li", max_frames=37).positions.shape == (37, 3, 3)


def test_corrupt_atom_line_and_uneven_timesteps_name_the_frame(tmp_path):
    rows = [[[i + 1, "Li", 0.5 * i, 1.0, 1.0] for i in range(3)] for _ in range(4)]
    rows[2][1][2] = "nan?x"
    path = tmp_path / "bad.lammpstrj"
    path.write_text(dump_text(["id", "element", "x", "y", "z"], rows))
    with pytest.raises(TrajectoryError, match="bad.lammpstrj: frame 2: unreadable atom line"):
        read_species_trajectory(path, "Li")
    rows[2][1][2] = 1.0
    path.write_text(dump_text(["id", "element", "x", "y", "z"], rows, timesteps=[0, 100, 200, 200]))
    with pytest.raises(TrajectoryError, match="frame 3 is at step 200.*evenly spaced"):
        read_species_trajectory(path, "Li")


def test_corrupt_extxyz_names_the_frame(tmp_path):
    frames = [ase.Atoms(numbers=NUMBERS, positions=p, cell=TRICLINIC, pbc=True) for p in moving_positions(6)]
    path = tmp_path / "traj.extxyz"
    ase.io.write(path, frames)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[: 8 * 4 + 5]))  # frame 4 cut after 3 of its 6 atoms
    with pytest.raises(TrajectoryError, match="traj.extxyz: frame 4 is corrupt or truncated"):
        read_species_trajectory(path, "Li")


def test_format_detection_and_missing_species(tmp_path):
    assert detect_format(tmp_path / "movie.xyz") == "gpumd"
    assert detect_format(tmp_path / "dump.xyz") == "gpumd"
    assert detect_format(tmp_path / "a.lammpstrj") == "lammps-dump"
    assert detect_format(tmp_path / "run.traj") == "ase"
    path = tmp_path / "noext"
    write_lammps_dump(path, NUMBERS, moving_positions(3), TRICLINIC)
    assert detect_format(path) == "lammps-dump"
    with pytest.raises(TrajectoryError, match="no Na atoms"):
        read_species_trajectory(path, "Na", fmt="lammps-dump")


def test_gpumd_exyz_output_is_read(tmp_path):
    positions = moving_positions(4)
    path = tmp_path / "dump.xyz"
    with open(path, "w") as handle:
        for frame in positions:
            lattice = " ".join(f"{v:.8f}" for v in TRICLINIC.ravel())
            handle.write(f'6\npbc="T T T" Lattice="{lattice}" Properties=species:S:1:pos:R:3\n')
            for number, xyz in zip(NUMBERS, frame):
                symbol = {3: "Li", 40: "Zr", 17: "Cl"}[number]
                handle.write(f"{symbol} {xyz[0]:.8f} {xyz[1]:.8f} {xyz[2]:.8f}\n")
    frames = list(iter_frames(path))
    assert len(frames) == 4 and np.allclose(frames[2].positions, positions[2], atol=1e-7)
    assert np.allclose(frames[0].cell.array, TRICLINIC)


@pytest.mark.parametrize("block_bytes", [200, 16 * 2**20])
def test_block_parser_gives_ases_positions_on_a_wrapped_triclinic_dump(tmp_path, monkeypatch, block_bytes):
    """Frames parsed in blocks (several per block, or one block of all) equal ASE's own
    lammps-dump-text reader: same cell, same wrapped positions, frame by frame."""
    monkeypatch.setattr(blocks, "BLOCK_BYTES", block_bytes)
    wrapped, _ = wrap(moving_positions(n_frames=12))
    rows = [[[i + 1, 1 + [3, 40, 17].index(n), *xyz] for i, (n, xyz) in enumerate(zip(NUMBERS, f))] for f in wrapped]
    path = tmp_path / "wrapped.lammpstrj"
    path.write_text(dump_text(["id", "type", "x", "y", "z"], rows))
    ours = [frame for frame, _ in lammps_dump.iter_dump_frames(path, type_map=["Li", "Zr", "Cl"])]
    theirs = list(ase.io.iread(path, format="lammps-dump-text"))
    assert len(ours) == len(theirs) == 12
    for frame, atoms in zip(ours, theirs):
        np.testing.assert_allclose(frame.cell, atoms.cell.array, atol=1e-12)
        np.testing.assert_allclose(frame.positions, atoms.positions, atol=1e-12)


@pytest.mark.parametrize(
    "columns, symbols, line_end",
    [
        (["x", "y", "z", "id", "element"], ("Li", "Zr", "Cl"), "\n"),  # id after the positions
        (["id", "element", "xs", "ys", "zs"], ("Li", "In", "Cl"), "\n"),  # an element with an I
        (["id", "element", "x", "y", "z"], ("Li", "Zr", "Cl"), " \n"),  # a space before the newline
    ],
)
def test_dumps_of_any_column_order_and_element_match_ases_reader(tmp_path, monkeypatch, columns, symbols, line_end):
    """The block reader over blocks of a few frames gives ASE's cell, species and positions
    frame by frame, and the fraction read grows to 1; no block falls back to frame by frame."""
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 700)
    monkeypatch.setattr(lammps_dump, "_parse_frame", lambda *args: pytest.fail("a block was parsed frame by frame"))
    wrapped, _ = wrap(moving_positions(n_frames=15))
    fractional = wrapped @ np.linalg.inv(TRICLINIC)
    element = dict(zip((3, 40, 17), symbols))
    order = [3, 0, 5, 1, 4, 2]  # not sorted by id
    rows = []
    for frame, scaled in zip(wrapped, fractional):
        values = {"x": frame[:, 0], "y": frame[:, 1], "z": frame[:, 2]}
        values |= {"xs": scaled[:, 0], "ys": scaled[:, 1], "zs": scaled[:, 2]}
        values |= {"id": np.arange(1, 7), "element": [element[n] for n in NUMBERS]}
        rows.append([[values[name][i] for name in columns] for i in order])
    path = tmp_path / "any.lammpstrj"
    path.write_text(dump_text(columns, rows).replace("\n", line_end))
    read = list(lammps_dump.iter_dump_frames(path))
    theirs = list(ase.io.iread(path, format="lammps-dump-text"))
    assert len(read) == len(theirs) == 15
    for (frame, _), atoms in zip(read, theirs):
        assert [element[n] for n in NUMBERS] == atoms.get_chemical_symbols()
        np.testing.assert_array_equal(frame.numbers, atoms.numbers)
        np.testing.assert_allclose(frame.cell, atoms.cell.array, atol=1e-12)
        np.testing.assert_allclose(frame.positions, atoms.positions, atol=1e-9)
    fractions = [fraction for _, fraction in read]
    assert np.all(np.diff(fractions) > 0) and fractions[-1] == pytest.approx(1.0)


def test_a_corrupt_frame_in_a_later_block_is_named_after_ases_frames_before_it(tmp_path, monkeypatch):
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 900)
    wrapped, _ = wrap(moving_positions(n_frames=20))
    rows = [[[i + 1, "Li", *xyz] for i, xyz in enumerate(frame)] for frame in wrapped]
    rows[13][4][3] = "1.2.3"
    path = tmp_path / "corrupt.lammpstrj"
    path.write_text(dump_text(["id", "element", "x", "y", "z"], rows))
    read = []
    with pytest.raises(TrajectoryError, match="corrupt.lammpstrj: frame 13: unreadable atom line"):
        for frame, _ in lammps_dump.iter_dump_frames(path):
            read.append(frame)
    theirs = list(ase.io.iread(path, format="lammps-dump-text", index=":13"))
    assert len(read) == 13
    for frame, atoms in zip(read, theirs):
        np.testing.assert_allclose(frame.positions, atoms.positions, atol=1e-12)


@pytest.mark.parametrize("newline_at_end", [True, False])
def test_extxyz_block_reader_matches_ases_reader_on_a_triclinic_file_with_forces(tmp_path, monkeypatch, newline_at_end):
    """Frames parsed in blocks of a few frames (species, positions, cell) equal ASE's extxyz
    reader on a triclinic file with a forces column, written with or without a final newline."""
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 1500)
    monkeypatch.setattr(extxyz, "_parse_frame", lambda *args: pytest.fail("a block was parsed frame by frame"))
    frames = []
    for index, positions in enumerate(wrap(moving_positions(n_frames=14))[0]):
        atoms = ase.Atoms(numbers=NUMBERS, positions=positions, cell=TRICLINIC * (1 + 0.01 * index), pbc=True)
        atoms.arrays["forces"] = np.full((6, 3), float(index))
        frames.append(atoms)
    path = tmp_path / "forces.extxyz"
    ase.io.write(path, frames, format="extxyz", columns=["symbols", "forces", "positions"])
    if not newline_at_end:
        path.write_bytes(path.read_bytes().rstrip(b"\n"))
    assert extxyz.supports(path)
    ours = list(extxyz.iter_extxyz_frames(path))
    theirs = list(ase.io.iread(path, format="extxyz"))
    assert len(ours) == len(theirs) == 14
    for (frame, _, info), atoms in zip(ours, theirs):
        np.testing.assert_array_equal(frame.numbers, atoms.numbers)
        np.testing.assert_allclose(frame.cell, atoms.cell.array, atol=1e-12)
        np.testing.assert_allclose(frame.positions, atoms.positions, atol=1e-12)
        assert info == {"pbc": [True, True, True]}
    assert ours[-1][1] == pytest.approx(1.0)


def test_extxyz_without_a_lattice_goes_through_ase_and_a_cut_block_names_its_frame(tmp_path, monkeypatch):
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 1000)
    frames = [ase.Atoms(numbers=NUMBERS, positions=p, cell=TRICLINIC, pbc=True) for p in moving_positions(12)]
    path = tmp_path / "cut.extxyz"
    ase.io.write(path, frames, format="extxyz")
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[: 8 * 9 + 4]))  # frame 9 cut after 2 of its 6 atoms
    read = []
    with pytest.raises(TrajectoryError, match=r"cut.extxyz: frame 9 is corrupt or truncated"):
        for frame, _, _ in extxyz.iter_extxyz_frames(path):
            read.append(frame)
    assert len(read) == 9
    np.testing.assert_allclose(read[8].positions, frames[8].positions, atol=1e-12)
    bare = tmp_path / "bare.xyz"
    ase.io.write(bare, ase.Atoms(numbers=NUMBERS, positions=moving_positions(1)[0]), format="extxyz")
    assert not extxyz.supports(bare)
    with pytest.raises(TrajectoryError, match="bare.xyz: frame 0 has no cell"):
        read_species_trajectory(bare, "Li")


BINARY = Path(__file__).parents[1] / "data" / "lammps_binary"  # one LAMMPS run, binary and text dumps


def test_lammps_binary_dump_matches_ases_reader_of_the_same_runs_text_dump():
    """LAMMPS wrote the same five frames (triclinic, scaled coordinates, image flags, atoms
    crossing the cell) as traj.bin and traj.lammpstrj (tests/data/lammps_binary/in.lammps)."""
    assert detect_format(BINARY / "traj.bin") == "lammps-binary"
    ours = list(iter_frames(BINARY / "traj.bin", type_map=["Li", "Cl"]))
    theirs = list(ase.io.iread(BINARY / "traj.lammpstrj", format="lammps-dump-text"))
    assert len(ours) == len(theirs) == 5
    for mine, atoms in zip(ours, theirs):
        np.testing.assert_allclose(mine.cell.array, atoms.cell.array, atol=1e-12)
        np.testing.assert_allclose(mine.positions, atoms.positions, atol=1e-12)
        assert list(mine.numbers) == [{1: 3, 2: 17}[t] for t in atoms.numbers]  # ASE: types as numbers
    assert np.abs(ours[-1].arrays["image"]).max() >= 1
    binary = read_species_trajectory(BINARY / "traj.bin", "Li", type_map=["Li", "Cl"])
    text = read_species_trajectory(BINARY / "traj.lammpstrj", "Li", type_map=["Li", "Cl"])
    np.testing.assert_allclose(binary.positions, text.positions, atol=1e-12)


def test_a_cut_lammps_binary_dump_names_the_frame_after_the_frames_before_it(tmp_path):
    whole = (BINARY / "traj.bin").read_bytes()
    cut = tmp_path / "cut.bin"
    cut.write_bytes(whole[: len(whole) * 7 // 10])  # inside frame 3 of 5
    read = []
    with pytest.raises(TrajectoryError, match=r"cut.bin: frame 3 is truncated .*--max-frames 3"):
        for frame in iter_frames(cut, type_map=["Li", "Cl"]):
            read.append(frame)
    assert len(read) == 3
    with pytest.raises(TrajectoryError, match="--type-map"):
        next(iter_frames(BINARY / "traj.bin"))


def test_nan_coordinates_name_the_frame_after_the_good_frames_are_read(tmp_path):
    rows = [[[i + 1, "Li", 0.5 * i + k, 1.0, 1.0] for i in range(3)] for k in range(5)]
    rows[3][2][3] = "nan"
    path = tmp_path / "blown_up.lammpstrj"
    path.write_text(dump_text(["id", "element", "x", "y", "z"], rows))
    with pytest.raises(TrajectoryError, match=r"blown_up.lammpstrj: frame 3: non-finite coordinates.*--max-frames 3"):
        read_species_trajectory(path, "Li")
    assert read_species_trajectory(path, "Li", max_frames=3).positions.shape == (3, 3, 3)


def test_nan_coordinates_in_extxyz_name_the_frame(tmp_path):
    positions = moving_positions(6)
    positions[4, 2, 1] = np.nan
    frames = [ase.Atoms(numbers=NUMBERS, positions=p, cell=TRICLINIC, pbc=True) for p in positions]
    path = tmp_path / "blown_up.extxyz"
    ase.io.write(path, frames)
    with pytest.raises(TrajectoryError, match=r"blown_up.extxyz: frame 4: non-finite coordinates"):
        read_species_trajectory(path, "Li")
    assert read_species_trajectory(path, "Li", max_frames=4).positions.shape == (4, 3, 3)


def test_gzipped_dump_and_extxyz_give_ases_positions_and_a_cut_file_names_the_frame(tmp_path):
    """LAMMPS' dump custom/gz and a gzipped extxyz read as their plain selves (ASE reads the
    same .gz files); a compressed file cut short is an error naming the frame, after the frames before it."""
    wrapped, _ = wrap(moving_positions(n_frames=12))
    rows = [[[i + 1, 1 + [3, 40, 17].index(n), *xyz] for i, (n, xyz) in enumerate(zip(NUMBERS, f))] for f in wrapped]
    dump = tmp_path / "traj.lammpstrj.gz"
    dump.write_bytes(gzip.compress(dump_text(["id", "type", "x", "y", "z"], rows).encode()))
    frames = [ase.Atoms(NUMBERS, positions=p, cell=TRICLINIC, pbc=True) for p in wrapped]
    extxyz = tmp_path / "traj.extxyz"
    ase.io.write(extxyz, frames, format="extxyz")
    (tmp_path / "traj.extxyz.gz").write_bytes(gzip.compress(extxyz.read_bytes()))
    assert detect_format(dump) == "lammps-dump" and detect_format(tmp_path / "traj.extxyz.gz") == "extxyz"
    theirs = {
        "dump": list(ase.io.iread(dump, format="lammps-dump-text")),
        "extxyz": list(ase.io.iread(tmp_path / "traj.extxyz.gz", format="extxyz")),
    }
    for name, ours in (
        ("dump", iter_frames(dump, type_map=["Li", "Zr", "Cl"])),
        ("extxyz", iter_frames(tmp_path / "traj.extxyz.gz")),
    ):
        ours = list(ours)
        assert len(ours) == len(theirs[name]) == 12
        for mine, atoms in zip(ours, theirs[name]):
            np.testing.assert_allclose(mine.positions, atoms.positions, atol=1e-9)
            np.testing.assert_allclose(mine.cell.array, atoms.cell.array, atol=1e-9)
    long, _ = wrap(moving_positions(n_frames=600))  # long enough that the cut falls after whole frames
    rows = [[[i + 1, 1 + [3, 40, 17].index(n), *xyz] for i, (n, xyz) in enumerate(zip(NUMBERS, f))] for f in long]
    whole = gzip.compress(dump_text(["id", "type", "x", "y", "z"], rows).encode())
    cut = tmp_path / "cut.lammpstrj.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    read = []
    with pytest.raises(TrajectoryError, match=r"cut.lammpstrj.gz: frame \d+ is truncated \(compressed data end"):
        for frame in iter_frames(cut, type_map=["Li", "Zr", "Cl"]):
            read.append(frame)
    assert 0 < len(read) < 600
