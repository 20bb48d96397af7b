"""Streaming reader for LAMMPS text dumps (`dump custom`), a block of frames in memory at a time.

The atom lines of a block of frames (about `BLOCK_BYTES` of text) are parsed in one call of
pandas' C reader, about 4x faster than numpy's `np.loadtxt` and 10x faster than ASE's
pure-Python `lammps-dump-text` reader (docs/performance.md). A block that does not parse is
parsed again frame by frame so that the error names the frame.
"""

import zlib
from collections.abc import Iterator
from io import BytesIO
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd
from ase.data import atomic_numbers

from ionflow.trajectory.compressed import open_trajectory
from ionflow.trajectory.frame import Frame, TrajectoryError

# Position columns in order of preference: (names, continuous in time, fractional).
_POSITION_COLUMNS = (
    (("xu", "yu", "zu"), True, False),
    (("xsu", "ysu", "zsu"), True, True),
    (("x", "y", "z"), False, False),
    (("xs", "ys", "zs"), False, True),
)
_IMAGE_COLUMNS = ("ix", "iy", "iz")
BLOCK_BYTES = 16 * 2**20  # text parsed per call: large enough to amortise the call, small enough to stream


def _truncated(path: Path, index: int, detail: str) -> TrajectoryError:
    return TrajectoryError(
        f"{path}: frame {index} is truncated ({detail}); rerun the MD or drop the last frame with --max-frames {index}"
    )


def _check_item(line: bytes, path: Path, index: int, expected: bytes) -> bytes:
    if not line.startswith(expected):
        raise TrajectoryError(
            f"{path}: frame {index}: expected '{expected.decode()}', found "
            f"{line[:60]!r}; is this a LAMMPS text dump written by `dump custom`?"
        )
    return line


def _header_line(handle, path: Path, index: int, expected: bytes) -> bytes:
    line = handle.readline()
    if not line:
        raise _truncated(path, index, f"file ends before '{expected.decode()}'")
    return _check_item(line, path, index, expected)


def _value_lines(handle, path: Path, index: int, count: int) -> list[bytes]:
    lines = list(islice(handle, count))
    if len(lines) < count:
        raise _truncated(path, index, f"header expects {count} lines, found {len(lines)}")
    return lines


def _cell_from_bounds(bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def _read_header(handle, path: Path, index: int):
    """Return (timestep, n_atoms, cell, origin, column names), or None at end of file."""
    line = handle.readline()
    while line and not line.strip():
        line = handle.readline()
    if not line:
        return None
    _check_item(line, path, index, b"ITEM: TIMESTEP")
    try:
        timestep = int(_value_lines(handle, path, index, 1)[0])
        _header_line(handle, path, index, b"ITEM: NUMBER OF ATOMS")
        n_atoms = int(_value_lines(handle, path, index, 1)[0])
        _header_line(handle, path, index, b"ITEM: BOX BOUNDS")
        bounds = np.array([line.split() for line in _value_lines(handle, path, index, 3)], float)
    except ValueError as exc:
        if isinstance(exc, TrajectoryError):
            raise
        raise TrajectoryError(f"{path}: frame {index}: unreadable header ({exc})") from exc
    columns = _header_line(handle, path, index, b"ITEM: ATOMS").decode().split()[2:]
    cell, origin = _cell_from_bounds(bounds)
    return timestep, n_atoms, cell, origin, columns


class _Layout:
    """Which columns of `ITEM: ATOMS` hold ids, species, positions and image flags."""

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


def _atomic_numbers(path: Path, layout: _Layout, lines: list[bytes], type_map) -> np.ndarray:
    columns = layout.columns
    if "element" in columns:
        column, names = columns.index("element"), None
    elif "type" in columns and type_map:
        column, names = columns.index("type"), list(type_map)
    else:
        raise TrajectoryError(
            f"{path}: no 'element' column; pass type_map (CLI: --type-map Li Zr Cl) naming the "
            "element of LAMMPS types 1, 2, ..., or add `element` to the `dump custom` line"
        )
    tokens = [line.split()[column].decode() for line in lines]
    try:
        symbols = [names[int(token) - 1] for token in tokens] if names else tokens
        return np.array([atomic_numbers[symbol] for symbol in symbols])
    except (IndexError, KeyError, ValueError) as exc:
        raise TrajectoryError(
            f"{path}: frame 0: cannot map species column '{columns[column]}' to elements "
            f"({exc!r}); check type_map / --type-map"
        ) from exc


def _parse_frame(path: Path, index: int, text: bytes, usecols: list[int]) -> np.ndarray:
    """One frame's atom lines → (n_atoms, len(usecols)) floats; the error names the frame."""
    try:
        table = np.loadtxt(BytesIO(text), usecols=usecols, ndmin=2)
    except ValueError as exc:
        raise TrajectoryError(f"{path}: frame {index}: unreadable atom line ({exc})") from exc
    if not np.isfinite(table).all():
        raise TrajectoryError(
            f"{path}: frame {index}: non-finite coordinates (nan or inf); the MD blew up there: "
            f"drop the frames from {index} on (--max-frames {index}) and check the run"
        )
    return table


def _parse_block(path: Path, first: int, texts: list[bytes], sizes: list[int], usecols: list[int]) -> list[np.ndarray]:
    """The atom lines of frames ``first, first + 1, ...`` (one bytes object each) → one table per frame.

    When the block does not parse, the frames are parsed one at a time as they are consumed, so
    the frames before a bad one are still read.
    """
    text = b"".join(texts)
    separator = r"\s+" if text[:1].isspace() or b"  " in texts[0][:4096] else " "
    try:
        table = pd.read_csv(
            BytesIO(text), sep=separator, header=None, usecols=usecols, dtype=np.float64, engine="c"
        ).to_numpy()
    except (ValueError, pd.errors.ParserError):
        table = None
    if table is None or len(table) != sum(sizes) or not np.isfinite(table).all():
        return (_parse_frame(path, first + k, frame, usecols) for k, frame in enumerate(texts))
    return np.split(table, np.cumsum(sizes)[:-1])


def _read_block(handle, raw, path: Path, first: int):
    """Headers, atom lines and end offsets of the frames from ``first`` on, up to about
    BLOCK_BYTES of text, and the error that ended the block early (None at a clean end).
    The offsets are ``raw``'s, the file on disk (compressed or not)."""
    headers, texts, positions, size = [], [], [], 0
    try:
        while size < BLOCK_BYTES:
            index = first + len(headers)
            header = _read_header(handle, path, index)
            if header is None:
                break
            n_atoms = header[1]
            lines = list(islice(handle, n_atoms))
            if len(lines) < n_atoms:
                raise _truncated(path, index, f"expected {n_atoms} atoms, found {len(lines)}")
            headers.append(header)
            texts.append(b"".join(lines))
            positions.append(raw.tell())
            size += len(texts[-1])
    except TrajectoryError as error:
        return headers, texts, positions, error
    except (EOFError, OSError, zlib.error) as error:  # a gzip file cut short or damaged
        return headers, texts, positions, _truncated(path, first + len(headers), f"compressed data end: {error}")
    return headers, texts, positions, None


def iter_dump_frames(path, type_map=None) -> Iterator[tuple[Frame, float]]:
    """Yield (frame, fraction of the file read) for each frame of a LAMMPS text dump.

    Atoms are sorted by id. `type_map` names the element of LAMMPS types 1, 2, ...
    and is required when the dump has no `element` column.
    """
    path = Path(path)
    size = max(path.stat().st_size, 1)
    layout = numbers = ids = None
    index = 0
    handle, raw = open_trajectory(path)
    with raw, handle:
        while True:
            headers, texts, ends, error = _read_block(handle, raw, path, index)
            if not headers:
                if error is not None:
                    raise error
                return
            for k, (_, n_atoms, _, _, columns) in enumerate(headers):
                if layout is None:
                    layout = _Layout(path, columns)
                    numbers = _atomic_numbers(path, layout, texts[0].splitlines(), type_map)
                elif columns != layout.columns or n_atoms != len(numbers):
                    raise TrajectoryError(
                        f"{path}: frame {index + k} has {n_atoms} atoms and columns {columns}, frame 0 "
                        f"had {len(numbers)} and {layout.columns}; one dump must keep one layout"
                    )
            tables = _parse_block(path, index, texts, [header[1] for header in headers], layout.usecols)
            for (timestep, _, cell, origin, _), table, end in zip(headers, tables, ends):
                frame_ids = table[:, 0]
                if np.any(frame_ids[1:] <= frame_ids[:-1]):
                    order = np.argsort(frame_ids, kind="stable")
                    if ids is None:
                        numbers = numbers[order]
                    table, frame_ids = table[order], frame_ids[order]
                if ids is None:
                    ids = frame_ids
                elif not np.array_equal(frame_ids, ids):
                    raise TrajectoryError(f"{path}: frame {index} holds other atom ids than frame 0")
                positions = table[:, 1:4]
                positions = positions @ cell + origin if layout.fractional else np.ascontiguousarray(positions)
                images = table[:, 4:7].astype(np.int64) if layout.images else None
                yield Frame(numbers, positions, cell, images, layout.unwrapped, timestep), end / size
                index += 1
            if error is not None:
                raise error
