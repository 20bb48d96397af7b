"""FrameCache replays an extxyz trajectory exactly as ASE reads it, and refuses a truncated one."""

import numpy as np
import pytest
from ase.build import bulk
from ase.io import read, write

from ionflow.trajectory.frame_cache import FrameCache


@pytest.fixture()
def trajectory(tmp_path):
    frames = []
    for k in range(7):
        atoms = bulk("NaCl", "rocksalt", a=5.64 + 0.01 * k, cubic=True)
        atoms.rattle(0.05, seed=k)
        atoms.info["time_ps"] = 0.02 * (k + 1)
        frames.append(atoms)
    path = tmp_path / "dump.xyz"
    write(path, frames, format="extxyz")
    return path


def test_cache_replays_every_frame_as_ase_reads_it(trajectory, tmp_path):
    cache = FrameCache.from_extxyz(trajectory, tmp_path / "cache")
    expected = read(trajectory, index=":")
    assert len(cache) == 7
    for got, want in zip(cache.frames(), expected):
        np.testing.assert_allclose(got.positions, want.positions, atol=1e-8)
        np.testing.assert_allclose(got.cell.array, want.cell.array, atol=1e-8)
        assert got.info["time_ps"] == pytest.approx(want.info["time_ps"])
        assert list(got.numbers) == list(want.numbers)
    assert [f.info["time_ps"] for f in cache.frames(-3, None, 2)] == pytest.approx([0.10, 0.14])
    assert isinstance(cache.positions, np.memmap)


def test_truncated_trajectory_is_named(trajectory, tmp_path):
    text = trajectory.read_text().splitlines(keepends=True)
    trajectory.write_text("".join(text[:-3]))
    with pytest.raises(ValueError, match=r"dump\.xyz: frame 6 is corrupt or truncated"):
        FrameCache.from_extxyz(trajectory, tmp_path / "cache")
