"""Opening a trajectory file as it is on disk: plain, or gzip-compressed when its name ends in
``.gz`` (LAMMPS' ``dump custom/gz``, ``gzip traj.extxyz``), decompressed while it is read."""

from __future__ import annotations

import gzip
from io import BufferedIOBase
from pathlib import Path


def open_trajectory(path) -> tuple[BufferedIOBase, BufferedIOBase]:
    """(binary handle on the content, handle on the file itself) of ``path``: the same file
    twice, or a gzip stream and the compressed file when the name ends in ``.gz``. The
    second one's ``tell()`` is how far into the file on disk the reading is (progress)."""
    raw = open(path, "rb")
    if Path(path).suffix != ".gz":
        return raw, raw
    return gzip.GzipFile(fileobj=raw, mode="rb"), raw  # buffered itself; read1 keeps what precedes damage
