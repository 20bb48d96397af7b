"""Streaming reader for LAMMPS binary dumps (`dump custom` to a file ending in `.bin`).

The layout is that of LAMMPS' own `tools/binary2txt.cpp`: per frame a header (a format string and
revision since 2021, then the step, atom count, box, values per atom, unit style, time and column
names), then the atoms as chunks of float64, one chunk per MPI rank. Native byte order and
64-bit step and atom counts (LAMMPS' default `-DLAMMPS_SMALLBIG` build).
"""

import struct
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import numpy as np

from ionflow.trajectory.frame import Frame, TrajectoryError, non_finite_frame, truncated_frame
from ionflow.trajectory.lammps_dump import (
    Columns,
    Header,
    assemble_frames,
    cell_from_bounds,
    species_column,
    species_numbers,
)

_FILE_ENDS = "the file ends inside it"


class _Reader:
    """Exact reads of native-order values from an open binary file; a short read is a truncated frame."""

    def __init__(self, handle, path: Path):
        self.handle, self.path, self.index = handle, path, 0

    def bytes(self, count: int) -> bytes:
        data = self.handle.read(count)
        if len(data) != count:
            raise truncated_frame(self.path, self.index, _FILE_ENDS)
        return data

    def values(self, code: str) -> tuple:
        return struct.unpack(f"={code}", self.bytes(struct.calcsize(f"={code}")))


def _header(reader: _Reader, columns: list[str] | None) -> tuple[Header, int, list[str]] | None:
    """(header, values per atom, column names) of the next frame, or None at the end of the file."""
    start = reader.handle.read(8)
    if not start:
        return None
    if len(start) != 8:
        raise truncated_frame(reader.path, reader.index, _FILE_ENDS)
    (step,) = struct.unpack("=q", start)
    revision = 0
    if step < 0:  # a format string of -step characters, then endianness and revision
        reader.bytes(-step)
        endian, revision = reader.values("ii")
        if endian != 1:
            raise TrajectoryError(f"{reader.path}: written on a machine of the other byte order; convert it there")
        (step,) = reader.values("q")
    n_atoms, triclinic = reader.values("qi")
    reader.values("6i")  # boundary flags
    bounds = np.array(reader.values("6d")).reshape(3, 2)
    if triclinic not in (0, 1):
        raise TrajectoryError(f"{reader.path}: frame {reader.index}: general triclinic boxes are not read")
    if triclinic:
        bounds = np.column_stack([bounds, reader.values("3d")])
    (size_one,) = reader.values("i")
    if revision > 1:
        (length,) = reader.values("i")
        reader.bytes(length)  # unit style
        if reader.values("b")[0]:
            reader.values("d")  # time
        (length,) = reader.values("i")
        columns = reader.bytes(length).decode().split()
    if columns is None or len(columns) != size_one:
        raise TrajectoryError(
            f"{reader.path}: no column names in the binary dump (a LAMMPS older than 2021); convert it with "
            "LAMMPS' tools/binary2txt and read the text"
        )
    cell, origin = cell_from_bounds(bounds)
    return Header(step, n_atoms, cell, origin, columns, 0, 0), size_one, columns


def _atoms(reader: _Reader, n_atoms: int, size_one: int) -> np.ndarray:
    """(n_atoms, size_one) values of one frame, read chunk by chunk."""
    (n_chunks,) = reader.values("i")
    chunks = []
    for _ in range(n_chunks):
        (count,) = reader.values("i")
        chunks.append(np.frombuffer(reader.bytes(8 * count), np.float64))
    table = np.concatenate(chunks) if chunks else np.empty(0)
    if table.size != n_atoms * size_one:
        raise TrajectoryError(
            f"{reader.path}: frame {reader.index} holds {table.size} values for {n_atoms} atoms × {size_one} columns"
        )
    return table.reshape(n_atoms, size_one)


def _tables(path: Path, handle, size: int, type_map) -> Iterator:
    """The column layout and frame 0's atomic numbers (first), then (header, table, fraction
    read) of each frame."""
    reader, columns, layout = _Reader(handle, path), None, None
    while (found := _header(reader, columns)) is not None:
        header, size_one, columns = found
        table = _atoms(reader, header.n_atoms, size_one)
        if layout is None:
            layout = Columns(path, columns)
            column = species_column(path, columns, type_map)
            numbers, _ = species_numbers(path, columns[column], [str(v) for v in table[:, column]], type_map)
            yield layout, numbers
        elif header.n_atoms != len(table) or columns != layout.columns:
            raise TrajectoryError(f"{path}: frame {reader.index} has other atoms or columns than frame 0")
        used = table[:, layout.usecols]
        if not np.isfinite(used).all():
            raise non_finite_frame(path, reader.index)
        yield header, used, handle.tell() / size
        reader.index += 1


def iter_binary_dump_frames(path, type_map=None) -> Iterator[tuple[Frame, float]]:
    """Yield (frame, fraction of the file read) for each frame of a LAMMPS binary dump.

    Atoms are sorted by id; `type_map` names the element of LAMMPS types 1, 2, ... (a binary
    dump has no `element` column).
    """
    path = Path(path)
    size = max(path.stat().st_size, 1)
    with open(path, "rb") as handle, closing(_tables(path, handle, size, type_map)) as tables:
        first = next(tables, None)
        if first is not None:
            layout, numbers = first
            yield from assemble_frames(path, layout, numbers, tables)
