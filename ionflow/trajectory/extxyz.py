"""Streaming reader for extended XYZ (ASE's `extxyz`, GPUMD's `dump_exyz`): species, positions
and cell of each frame, a block of whole frames at a time.

Frames are found from the newlines of a block (numpy) and their atom counts; each comment line
is read by ASE's own key=value parser; the atom lines of the block are parsed in one call of
pandas' C reader. ASE's reader parses every line in Python, about 10x slower
(docs/performance.md). Files this reader does not cover (no `Lattice`, no `species` or `pos`
property) go through ASE (`supports`).
"""

from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import closing
from io import BytesIO
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from ase.data import atomic_numbers

from ionflow.trajectory.blocks import Chunk, iter_parsed_blocks
from ionflow.trajectory.compressed import open_trajectory
from ionflow.trajectory.frame import Frame, TrajectoryError, corrupt_frame, non_finite_frame

_DEFAULT_PROPERTIES = "species:S:1:pos:R:3"  # what ASE assumes when a comment line names none


class _Layout(NamedTuple):
    """Columns of the atom lines: how many, and which hold the species and x, y, z."""

    n_columns: int
    species: int
    position: list[int]


def _layout(comment: str) -> tuple[_Layout | None, np.ndarray | None, dict]:
    """(layout, cell in Å, the other key=value pairs) from a comment line; None for what this
    reader does not cover."""
    from ase.io.extxyz import key_val_str_to_dict, parse_properties  # ase.io: 0.35 s a LAMMPS dump need not pay

    info = key_val_str_to_dict(comment)
    properties, names, _, _ = parse_properties(info.get("Properties", _DEFAULT_PROPERTIES))
    offsets, column = {}, 0
    for name in names:
        offsets[name] = column
        column += properties[name][1]
    if "species" not in offsets or properties.get("pos", (None, 0))[1] != 3:
        return None, None, info
    layout = _Layout(column, offsets["species"], [offsets["pos"] + k for k in range(3)])
    cell = info.pop("Lattice", None)  # ASE's parser returns the transpose of the cell (ase.io.extxyz)
    info.pop("Properties", None)
    return layout, None if cell is None else np.asarray(cell, float).reshape(3, 3).T, info


def supports(path) -> bool:
    """True when the first frame of `path` has a `Lattice` and `species` and `pos` properties."""
    handle, raw = open_trajectory(path)
    with raw, handle:
        handle.readline()
        comment = handle.readline().decode(errors="replace")
    try:
        layout, cell, _ = _layout(comment)
    except (ValueError, KeyError, IndexError):
        return False
    return layout is not None and cell is not None


class _FrameText(NamedTuple):
    n_atoms: int
    comment: bytes
    start: int  # of its atom lines in the block
    end: int


def _walk(
    text: bytearray, length: int, path: Path, first: int, at_end: bool = True
) -> tuple[list[_FrameText], int, Exception | None]:
    """The whole frames at the start of text[:length], where the next one starts, and the error
    (a count line that is not a number) that stopped the walk, or None. At the end of the file
    (`at_end`) a last line without a newline is a line; elsewhere it is cut by the block."""
    newlines = np.flatnonzero(np.frombuffer(text, np.uint8, count=length) == 10)
    if at_end and length and text[length - 1] != 10:
        newlines = np.append(newlines, length)
    starts = np.minimum(np.concatenate([[0], newlines + 1]), length)
    frames, line = [], 0
    while line < len(newlines):
        head = text[starts[line] : newlines[line]]
        if not head.strip():
            line += 1
            continue
        try:
            n_atoms = int(head)
        except ValueError:
            return (
                frames,
                int(starts[line]),
                corrupt_frame(path, first + len(frames), f"count line {bytes(head[:40])!r}"),
            )
        if line + 1 + n_atoms >= len(newlines):
            break
        comment = bytes(text[starts[line + 1] : newlines[line + 1]])
        frames.append(_FrameText(n_atoms, comment, int(starts[line + 2]), int(starts[line + 2 + n_atoms])))
        line += n_atoms + 2
    return frames, int(min(starts[line], length)), None


def _whole_frames(text: bytearray, filled: int) -> int:
    frames, end, error = _walk(text, filled, Path(), 0, at_end=False)
    return filled if error is not None else end


def _parse_frame(path: Path, index: int, layout: _Layout, text: bytes) -> np.ndarray:
    """One frame's atom lines → (n_atoms, 3) positions, the error naming the frame."""
    try:
        positions = np.loadtxt(BytesIO(text), usecols=layout.position, ndmin=2)
    except ValueError as exc:
        raise corrupt_frame(path, index, str(exc)) from exc
    if not np.isfinite(positions).all():
        raise non_finite_frame(path, index)
    return positions


def _parse_block(text: bytes, layout: _Layout, n_rows: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(atomic numbers, positions) of every atom line of a block, or None when the block does
    not parse cleanly (the caller then names the frame)."""
    try:
        table = pd.read_csv(
            BytesIO(text),
            sep=r"\s+",
            header=None,
            names=range(layout.n_columns),
            usecols=[layout.species, *layout.position],
            dtype={layout.species: "category"} | {column: np.float64 for column in layout.position},
            engine="c",
        )
    except (ValueError, pd.errors.ParserError):
        return None
    positions = table[layout.position].to_numpy()
    if len(table) != n_rows or not np.isfinite(positions).all():
        return None
    species = table[layout.species].cat
    try:
        numbers = np.array([atomic_numbers[symbol] for symbol in species.categories])[species.codes]
    except KeyError:
        return None
    return numbers, positions


def _numbers(path: Path, index: int, layout: _Layout, lines: bytes) -> np.ndarray:
    try:
        return np.array([atomic_numbers[line.split()[layout.species].decode()] for line in lines.splitlines()])
    except (KeyError, IndexError) as exc:
        raise corrupt_frame(path, index, f"species column: {exc!r}") from exc


class _Block(NamedTuple):
    """A block's whole frames with their cells and comment pairs, the parse of their atom lines
    (a Future, or None), and the error to raise after them."""

    chunk: Chunk
    first: int
    frames: list[_FrameText]
    cells: list[tuple[np.ndarray, dict]]
    layout: _Layout | None
    pieces: list
    table: Future | None
    error: Exception | None

    @property
    def text(self) -> bytearray:
        return self.chunk.text

    @property
    def n_frames(self) -> int:
        return len(self.frames)


def _submit(pool, path: Path, chunk: Chunk, first: int) -> _Block:
    """Find a block's frames, read their comment lines and start parsing their atom lines."""
    if chunk.error is not None:
        error = corrupt_frame(path, first, f"compressed data end: {chunk.error}")
        return _Block(chunk, first, [], [], None, [], None, error)
    frames, end, error = _walk(chunk.text, chunk.length, path, first)
    if error is None and end < chunk.length:
        error = corrupt_frame(path, first + len(frames), "the file ends inside it")
    cells, layout = [], None
    for k, frame in enumerate(frames):
        try:
            frame_layout, cell, info = _layout(frame.comment.decode())
        except (ValueError, KeyError, IndexError, UnicodeDecodeError) as exc:
            error = corrupt_frame(path, first + k, f"comment line: {exc}")
            break
        if frame_layout is None or cell is None or frame_layout != (layout or frame_layout):
            error = TrajectoryError(
                f"{path}: frame {first + k} has no Lattice or other properties than frame {first}; "
                "ionflow reads files of one layout with the cell of every frame"
            )
            break
        layout = frame_layout
        cells.append((cell, info))
    frames = frames[: len(cells)]
    view = memoryview(chunk.text)
    pieces = [view[frame.start : frame.end] for frame in frames]
    if frames and chunk.text[frames[-1].end - 1] != 10:  # the file's last line has no newline
        pieces.append(b"\n")
    n_rows = sum(frame.n_atoms for frame in frames)
    table = pool.submit(_parse_block, b"".join(pieces), layout, n_rows) if frames else None
    return _Block(chunk, first, frames, cells, layout, pieces, table, error)


def _frames_of_block(path: Path, block: _Block) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, dict]]:
    """(atomic numbers, positions in Å, cell, comment pairs) of each frame of a block."""
    parsed = block.table.result() if block.table is not None else None
    if parsed is None:
        for k, (piece, (cell, info)) in enumerate(zip(block.pieces, block.cells)):
            lines, index = bytes(piece), block.first + k
            yield _numbers(path, index, block.layout, lines), _parse_frame(path, index, block.layout, lines), cell, info
        return
    bounds = np.cumsum([frame.n_atoms for frame in block.frames])[:-1]
    for numbers, positions, (cell, info) in zip(np.split(parsed[0], bounds), np.split(parsed[1], bounds), block.cells):
        yield numbers, positions, cell, info


def iter_extxyz_frames(path) -> Iterator[tuple[Frame, float, dict]]:
    """Yield (frame, fraction of the file read, the comment line's other key=value pairs, e.g.
    ``time_ps``) for each frame of an extended XYZ file whose frames have a `Lattice` and
    `species` and `pos` properties (`supports`). Positions in Å as written; a corrupt or
    truncated frame raises TrajectoryError naming it, after the frames before it. Blocks are
    parsed in worker threads (as for LAMMPS dumps) while the next one is read."""
    path = Path(path)
    size = max(path.stat().st_size, 1)
    numbers = None
    handle, raw = open_trajectory(path)

    def submit(pool, chunk: Chunk, first: int) -> _Block:
        return _submit(pool, path, chunk, first)

    with raw, handle, closing(iter_parsed_blocks(handle, raw, _whole_frames, submit)) as blocks:
        for block in blocks:
            for frame, (frame_numbers, positions, cell, info) in zip(block.frames, _frames_of_block(path, block)):
                if numbers is None or not np.array_equal(frame_numbers, numbers):
                    numbers = frame_numbers
                fraction = min(1.0, (block.chunk.offset + frame.end) * block.chunk.ratio / size)
                yield Frame(numbers, positions, cell, None, False, None), fraction, info
            if block.error is not None:
                raise block.error
