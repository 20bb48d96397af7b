"""Streaming reader for LAMMPS text dumps (`dump custom`), a block of whole frames at a time.

A block (about `blocks.BLOCK_BYTES` of text) is parsed in one call of pandas' C reader with the
`ITEM:` lines skipped as comments, so the atom lines are never split or copied in Python; the
few header values are read from the lines after each `ITEM: TIMESTEP`. Blocks are parsed in
worker threads (the C reader releases the GIL) while the next block is read and its headers
decoded. On the 619-MB dump of docs/performance.md a read takes 1.2x the time of a bare Python
line scan of the file, 2.3x less than when the frames were split into lines first. A
block that does not parse cleanly is parsed again frame by frame, after the frames before it
are yielded, so that the error names the frame.
"""

from collections.abc import Iterator
from contextlib import closing
from io import BufferedReader, BytesIO, RawIOBase
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from ase.data import atomic_numbers

from ionflow.trajectory.blocks import Chunk, iter_parsed_blocks
from ionflow.trajectory.compressed import open_trajectory
from ionflow.trajectory.frame import Frame, TrajectoryError, non_finite_frame, truncated_frame

# Position columns in order of preference: (names, continuous in time, fractional).
_POSITION_COLUMNS = (
    (("xu", "yu", "zu"), True, False),
    (("xsu", "ysu", "zsu"), True, True),
    (("x", "y", "z"), False, False),
    (("xs", "ys", "zs"), False, True),
)
_IMAGE_COLUMNS = ("ix", "iy", "iz")
_TIMESTEP = b"ITEM: TIMESTEP"
# A header as (item, number of value lines after it).
_HEADER = ((_TIMESTEP, 1), (b"ITEM: NUMBER OF ATOMS", 1), (b"ITEM: BOX BOUNDS", 3), (b"ITEM: ATOMS", 0))
_HEADER_VALUE_LINES = 5  # what the C reader sees of a header once its ITEM lines are comments


def cell_from_bounds(bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lattice vectors (rows, Å) and origin from LAMMPS BOX BOUNDS (orthogonal or triclinic)."""
    if bounds.shape[1] == 2:
        bounds = np.column_stack([bounds, np.zeros(3)])
    (xlo_b, xhi_b, xy), (ylo_b, yhi_b, xz), (zlo_b, zhi_b, yz) = bounds
    xlo = xlo_b - min(0.0, xy, xz, xy + xz)
    xhi = xhi_b - max(0.0, xy, xz, xy + xz)
    ylo = ylo_b - min(0.0, yz)
    yhi = yhi_b - max(0.0, yz)
    cell = np.array([[xhi - xlo, 0.0, 0.0], [xy, yhi - ylo, 0.0], [xz, yz, zhi_b - zlo_b]])
    return cell, np.array([xlo, ylo, zlo_b])


class Header(NamedTuple):
    """One frame's header; `start` and `end` delimit its atom lines in the block's text."""

    timestep: int
    n_atoms: int
    cell: np.ndarray
    origin: np.ndarray
    columns: list[str]
    start: int
    end: int


def _read_header(text: bytes, position: int, end: int, path: Path, index: int) -> Header:
    """The header of the frame whose `ITEM: TIMESTEP` line starts at `position` of `text`; its
    atom lines run to `end` (the next frame's start or the end of the text)."""
    values = []
    for item, count in _HEADER:
        lines = []
        for _ in range(count + 1):
            if position >= end:
                name = item.decode()
                found = f"header expects {count} lines after '{name}', found {len(lines) - 1}"
                raise truncated_frame(path, index, found if lines else f"file ends before '{name}'")
            stop = text.find(b"\n", position, end)
            stop = end if stop < 0 else stop
            lines.append(text[position:stop])
            position = stop + 1
        if not lines[0].startswith(item):
            raise TrajectoryError(
                f"{path}: frame {index}: expected '{item.decode()}', found {lines[0][:60]!r}; "
                "is this a LAMMPS text dump written by `dump custom`?"
            )
        values.append(lines)
    try:
        timestep, n_atoms = int(values[0][1]), int(values[1][1])
        bounds = np.array([[float(value) for value in line.split()] for line in values[2][1:]])
    except ValueError as exc:
        raise TrajectoryError(f"{path}: frame {index}: unreadable header ({exc})") from exc
    cell, origin = cell_from_bounds(bounds)
    return Header(timestep, n_atoms, cell, origin, values[3][0].decode().split()[2:], min(position, end), end)


def _frame_headers(text: bytearray, length: int, path: Path, first: int) -> tuple[list[Header], Exception | None]:
    """Headers of the frames in the first `length` bytes of `text` (frame `first` on), and the
    error that stopped them (or None)."""
    starts, position = [], 0
    while position < length and text[position : position + 1].isspace():  # blank lines before the first frame
        position += 1
    if not text.startswith(_TIMESTEP, position):
        found = text[position : position + 60]
        return [], TrajectoryError(
            f"{path}: frame {first}: expected '{_TIMESTEP.decode()}', found {found!r}; "
            "is this a LAMMPS text dump written by `dump custom`?"
        )
    while position >= 0:
        starts.append(position)
        position = text.find(b"\n" + _TIMESTEP, position + 1, length)
        position += 1 if position >= 0 else 0
    headers = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else length
        try:
            headers.append(_read_header(text, start, end, path, first + k))
        except TrajectoryError as error:
            return headers, error
    return headers, None


class Columns:
    """Which columns of a `dump custom` line hold ids, positions and image flags (text or binary)."""

    def __init__(self, path: Path, columns: list[str]):
        if "id" not in columns:
            raise TrajectoryError(f"{path}: no 'id' column; add `id` to the `dump custom` line")
        for names, unwrapped, fractional in _POSITION_COLUMNS:
            if all(name in columns for name in names):
                self.position = [columns.index(name) for name in names]
                self.unwrapped, self.fractional = unwrapped, fractional
                break
        else:
            raise TrajectoryError(
                f"{path}: no position columns (xu yu zu, x y z, xs ys zs or xsu ysu zsu) in {columns}"
            )
        has_images = not self.unwrapped and all(name in columns for name in _IMAGE_COLUMNS)
        self.images = [columns.index(name) for name in _IMAGE_COLUMNS] if has_images else []
        self.columns = columns
        self.usecols = [columns.index("id"), *self.position, *self.images]


class _Layout(Columns):
    """The columns of `ITEM: ATOMS`, the elements of frame 0 and how its lines are written."""

    def __init__(self, path: Path, header: Header, text: bytes, type_map):
        super().__init__(path, header.columns)
        self.n_atoms = header.n_atoms
        # the C reader returns the columns in file order; this puts them back in usecols' order
        self.order = np.argsort(np.argsort(self.usecols))
        lines = [line for line in text[header.start : header.end].splitlines() if line.strip()]
        column = species_column(path, self.columns, type_map)
        try:
            tokens = [line.split()[column].decode() for line in lines]
        except IndexError as exc:
            raise TrajectoryError(f"{path}: frame 0: an atom line without column {column} ({exc!r})") from exc
        self.numbers, symbols = species_numbers(path, self.columns[column], tokens, type_map)
        first = lines[0] if lines else b""
        self.separator = " " if first == first.strip() and b"  " not in first and b"\t" not in first else r"\s+"
        # ITEM lines are skipped as comments ('I'), which an element such as In would also trigger
        self.comments_skip_items = not any("I" in symbol for symbol in symbols)

    def check(self, path: Path, header: Header, index: int) -> None:
        if header.columns != self.columns or header.n_atoms != len(self.numbers):
            raise TrajectoryError(
                f"{path}: frame {index} has {header.n_atoms} atoms and columns {header.columns}, frame 0 "
                f"had {len(self.numbers)} and {self.columns}; one dump must keep one layout"
            )


def species_column(path: Path, columns: list[str], type_map) -> int:
    """Index of the column that names each atom's element: `element`, else `type` with `type_map`."""
    if "element" in columns:
        return columns.index("element")
    if "type" in columns and type_map:
        return columns.index("type")
    raise TrajectoryError(
        f"{path}: no 'element' column; pass type_map (CLI: --type-map Li Zr Cl) naming the "
        "element of LAMMPS types 1, 2, ..., or add `element` to the `dump custom` line"
    )


def species_numbers(path: Path, column: str, tokens: list[str], type_map) -> tuple[np.ndarray, set[str]]:
    """Atomic numbers of frame 0's atoms from their `column` ('element' or 'type') tokens, and the
    element symbols found."""
    try:
        symbols = [type_map[int(float(token)) - 1] for token in tokens] if column == "type" else tokens
        return np.array([atomic_numbers[symbol] for symbol in symbols]), set(symbols)
    except (IndexError, KeyError, ValueError) as exc:
        raise TrajectoryError(
            f"{path}: frame 0: cannot map species column '{column}' to elements ({exc!r}); check type_map / --type-map"
        ) from exc


def _parse_block(source, layout: _Layout, n_frames: int, header_lines: int) -> np.ndarray | None:
    """(n_frames, n_atoms, len(usecols)) floats from a block's text (`source`, a binary file), or
    None when it does not parse cleanly (a short or unreadable line, non-finite values): the caller
    then goes frame by frame. `header_lines` is the number of non-comment lines before each
    frame's atom lines."""
    try:
        table = pd.read_csv(
            source,
            sep=layout.separator,
            header=None,
            names=range(len(layout.columns)),
            usecols=layout.usecols,
            comment="I" if header_lines else None,
            dtype=np.float64,
            engine="c",
        ).to_numpy()
    except (ValueError, pd.errors.ParserError):
        return None
    rows = header_lines + layout.n_atoms
    if table.shape[0] != n_frames * rows:
        return None
    table = table.reshape(n_frames, rows, -1)
    # header lines have at most 3 values, so the last used column (index ≥ 3) is empty there
    if not np.isnan(table[:, :header_lines, -1]).all():
        return None
    table = table[:, header_lines:, layout.order]
    return table if np.isfinite(table).all() else None


def _parse_frame(path: Path, index: int, header: Header, text: bytes, usecols: list[int]) -> np.ndarray:
    """One frame's atom lines → (n_atoms, len(usecols)) floats; the error names the frame."""
    lines = [line for line in text[header.start : header.end].splitlines(keepends=True) if line.strip()]
    if len(lines) < header.n_atoms:
        raise truncated_frame(path, index, f"expected {header.n_atoms} atoms, found {len(lines)}")
    if len(lines) > header.n_atoms:
        raise TrajectoryError(
            f"{path}: frame {index}: {len(lines)} atom lines where its header counts {header.n_atoms}; "
            "is the file two dumps written into one?"
        )
    try:
        table = np.loadtxt(BytesIO(b"".join(lines)), usecols=usecols, ndmin=2)
    except ValueError as exc:
        raise TrajectoryError(f"{path}: frame {index}: unreadable atom line ({exc})") from exc
    if not np.isfinite(table).all():
        raise non_finite_frame(path, index)
    return table


def _whole_frames(text: bytearray, filled: int) -> int:
    """Length of the whole frames in text[:filled]: up to the last `ITEM: TIMESTEP` line."""
    return text.rfind(b"\n" + _TIMESTEP, 0, filled) + 1


class _View(RawIOBase):
    """The first bytes of a buffer as a file, for the C reader, without copying them out first."""

    def __init__(self, text: bytearray, length: int):
        self.view, self.position = memoryview(text)[:length], 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), len(self.view) - self.position)
        buffer[:count] = self.view[self.position : self.position + count]
        self.position += count
        return count


class _Block(NamedTuple):
    text: bytearray
    first: int  # index of its first frame
    headers: list[Header]
    fractions: list[float]  # of the file read at the end of each frame
    table: object  # Future of _parse_block's result, or None
    error: Exception | None  # raised after its frames

    @property
    def n_frames(self) -> int:
        return len(self.headers)


def _frame_tables(path: Path, block: _Block, layout: _Layout) -> Iterator[np.ndarray]:
    table = block.table.result() if block.table is not None else None
    if table is not None:
        yield from table
        return
    for k, header in enumerate(block.headers):
        yield _parse_frame(path, block.first + k, header, block.text, layout.usecols)


def _submit(pool, path: Path, chunk: Chunk, first: int, size: int, layout, type_map) -> tuple[_Block, _Layout]:
    """Decode the headers of a block and start parsing its atom lines; returns (block, layout)."""
    text = chunk.text
    headers, error = _frame_headers(text, chunk.length, path, first) if chunk.length else ([], None)
    if layout is None and headers:
        layout = _Layout(path, headers[0], text, type_map)
    for k, header in enumerate(headers):
        try:
            layout.check(path, header, first + k)
        except TrajectoryError as mismatch:
            headers, error = headers[:k], mismatch
            break
    if chunk.error is not None:
        error = truncated_frame(path, first + len(headers), f"compressed data end: {chunk.error}")
    fractions = [min(1.0, (chunk.offset + header.end) * chunk.ratio / size) for header in headers]
    table = None
    if headers and error is None:
        if layout.comments_skip_items:
            source = BufferedReader(_View(text, chunk.length))
            table = pool.submit(_parse_block, source, layout, len(headers), _HEADER_VALUE_LINES)
        else:
            atom_lines = b"".join(text[header.start : header.end] for header in headers)
            table = pool.submit(_parse_block, BytesIO(atom_lines), layout, len(headers), 0)
    return _Block(text, first, headers, fractions, table, error), layout


def _sorted_by_id(table: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """The frame's rows sorted by atom id (column 0), and the order used (None when already sorted)."""
    ids = table[:, 0]
    if not np.any(ids[1:] <= ids[:-1]):
        return table, None
    order = np.argsort(ids, kind="stable")
    return table[order], order


def assemble_frames(path: Path, layout: Columns, numbers: np.ndarray, tables) -> Iterator[tuple[Frame, float]]:
    """(Frame, fraction) from (header, table of the `usecols` columns in their order, fraction
    read) of each frame: atoms sorted by id, positions Cartesian (Å), image flags as integers.
    `numbers` are frame 0's atomic numbers in file order."""
    ids = None
    for index, (header, table, fraction) in enumerate(tables):
        table, order = _sorted_by_id(table)
        if ids is None:
            ids, numbers = table[:, 0], numbers if order is None else numbers[order]
        elif not np.array_equal(table[:, 0], ids):
            raise TrajectoryError(f"{path}: frame {index} holds other atom ids than frame 0")
        positions = table[:, 1:4]
        if layout.fractional:
            positions = positions @ header.cell + header.origin
        images = table[:, 4:7].astype(np.int64) if layout.images else None
        yield Frame(numbers, positions, header.cell, images, layout.unwrapped, header.timestep), fraction


def iter_dump_frames(path, type_map=None) -> Iterator[tuple[Frame, float]]:
    """Yield (frame, fraction of the file read) for each frame of a LAMMPS text dump.

    Atoms are sorted by id. `type_map` names the element of LAMMPS types 1, 2, ...
    and is required when the dump has no `element` column.
    """
    path = Path(path)
    size = max(path.stat().st_size, 1)
    handle, raw = open_trajectory(path)
    with raw, handle, closing(_tables(path, handle, raw, size, type_map)) as tables:
        layout = next(tables, None)
        if layout is not None:
            yield from assemble_frames(path, layout, layout.numbers, tables)


def _tables(path: Path, handle, raw, size: int, type_map) -> Iterator:
    """The layout of the dump (first), then (header, table, fraction read) of each frame."""
    layout = None

    def submit(pool, chunk: Chunk, first: int) -> _Block:
        nonlocal layout
        block, layout = _submit(pool, path, chunk, first, size, layout, type_map)
        return block

    with closing(iter_parsed_blocks(handle, raw, _whole_frames, submit)) as blocks:
        for block in blocks:
            if block.first == 0 and layout is not None:  # frame 0's block made the layout
                yield layout
            yield from zip(block.headers, _frame_tables(path, block, layout), block.fractions)
            if block.error is not None:
                raise block.error
