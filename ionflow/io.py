"""Atomic file output: a killed job never leaves a half-written file that a later step reads;
and the content checksum by which a resumed job knows its inputs did not change."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path

from ase import io as ase_io


@contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path beside ``path``; rename it onto ``path`` only on success.

    The temporary name keeps the suffix so that format detection by extension still works.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.part{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_json(data: dict, path: str | Path) -> None:
    """Write ``data`` as indented JSON, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n")


def write_csv(rows: list[dict], path: str | Path, fields: list[str] | None = None) -> None:
    """Write dict rows as CSV, atomically; columns ``fields`` (default: every key, first seen first)."""
    fields = fields or list(dict.fromkeys(key for row in rows for key in row))
    with atomic_path(path) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def write_frames(frames, path: str | Path) -> None:
    """Write ASE frames as extended XYZ (energies, forces, stress, info kept), atomically."""
    with atomic_path(path) as tmp:
        ase_io.write(tmp, frames, format="extxyz")


def read_frames(path: str | Path) -> list:
    """Read every frame of an extended XYZ file; an unreadable file is named in the error."""
    try:
        return ase_io.read(path, index=":", format="extxyz")
    except Exception as err:
        raise ValueError(f"{path}: cannot read as extended XYZ ({err}); rerun the step that wrote it") from err


def file_sha256(path: str | Path) -> str:
    """SHA-256 (hex) of the file's content, read in blocks."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
