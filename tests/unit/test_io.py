"""Atomic writes of extended XYZ trajectories, read back whole (``read_frames``) and streamed
(``iter_extxyz``, which keeps ``info`` such as time_ps)."""

import hashlib

import numpy as np
import pytest
from ase.build import bulk
from ase.io import read

from ionflow.io import file_sha256, read_frames, write_frames
from ionflow.trajectory.frames import FirstAndLast
from ionflow.trajectory.readers import iter_extxyz


def _frames():
    frames = []
    for k in range(3):
        atoms = bulk("LiCl", "rocksalt", a=5.13, cubic=True)
        atoms.positions += 0.01 * k
        atoms.info["time_ps"] = 0.5 * k
        frames.append(atoms)
    return frames


def test_streamed_frames_equal_ase_read(tmp_path):
    path = tmp_path / "dump.xyz"
    write_frames(_frames(), path)
    streamed = list(iter_extxyz(path))
    assert [a.info["time_ps"] for a in streamed] == [0.0, 0.5, 1.0]
    for ours, theirs in zip(streamed, read(path, ":"), strict=True):
        np.testing.assert_allclose(ours.positions, theirs.positions)
    assert not list(tmp_path.glob(".*part*"))  # no temporary file left behind


def test_streamed_md_dump_keeps_info_pbc_and_cell_as_ase(tmp_path):
    """An MD dump as ionflow's NEP MD writes it goes through the block reader: info, pbc and a
    triclinic cell as ASE reads them."""
    frames = _frames()
    for k, atoms in enumerate(frames):
        atoms.set_cell(atoms.cell.array + [[0, 0, 0], [0.4, 0, 0], [0.3, -0.2, 0]], scale_atoms=False)
        atoms.pbc = [True, True, k == 0]
        atoms.info.update(ensemble="npt", temperature_K=400.0, pressure_bar=1.5)
    path = tmp_path / "dump.xyz"
    write_frames(frames, path)
    for ours, theirs in zip(iter_extxyz(path), read(path, ":"), strict=True):
        np.testing.assert_allclose(ours.positions, theirs.positions)
        np.testing.assert_allclose(ours.cell.array, theirs.cell.array)
        assert ours.pbc.tolist() == theirs.pbc.tolist()
        assert ours.info == theirs.info


def test_first_and_last_come_from_the_same_read(tmp_path):
    path = tmp_path / "dump.xyz"
    write_frames(_frames(), path)
    frames = FirstAndLast(iter_extxyz(path))
    assert [atoms.info["time_ps"] for atoms in frames] == [0.0, 0.5, 1.0]
    assert (frames.first.info["time_ps"], frames.last.info["time_ps"]) == (0.0, 1.0)
    np.testing.assert_allclose(frames.last.positions, read(path, index=-1).positions)


def test_truncated_trajectory_names_file_and_frame(tmp_path):
    path = tmp_path / "dump.xyz"
    write_frames(_frames(), path)
    lines = path.read_text().splitlines(keepends=True)
    per_frame = len(lines) // 3
    path.write_text("".join(lines[: 2 * per_frame + 4]))  # killed while writing the third frame
    with pytest.raises(ValueError, match=r"dump\.xyz: frame 2 is (corrupt or )?truncated"):
        list(iter_extxyz(path))
    with pytest.raises(ValueError, match=r"dump\.xyz: cannot read as extended XYZ"):
        read_frames(path)


def test_file_sha256_is_the_digest_of_the_whole_content(tmp_path):
    content = np.random.default_rng(1).bytes(3 * 2**20 + 17)  # several read blocks and a short one
    (tmp_path / "model.pb").write_bytes(content)
    assert file_sha256(tmp_path / "model.pb") == hashlib.sha256(content).hexdigest()
