"""A trajectory file read as blocks of whole frames, into reused buffers, plain or gzip-compressed,
and parsed in worker threads ahead of the reader that consumes them.

The readers of LAMMPS dumps and extended XYZ parse a block at a time; what they share is how a
block is read (about `BLOCK_BYTES` of text appended to the unfinished frame of the block before,
cut after the last whole frame by a format's own rule) and how blocks are read ahead while
earlier ones are parsed (`iter_parsed_blocks`).
"""

import os
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

BLOCK_BYTES = 16 * 2**20  # text per parse: large enough to amortise the call, small enough to stream


def parser_threads() -> int:
    """Threads that parse blocks: the cores this process may use (SLURM's allocation), at most 4.
    pandas' C reader releases the GIL, so they run in parallel."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(4, cores or 1))


class Chunk(NamedTuple):
    """Whole frames in text[:length], starting at `offset` of the decompressed stream; `ratio`
    is file bytes per text byte (progress); `error` (a damaged gzip file) ends the file."""

    text: bytearray
    length: int
    offset: int
    ratio: float
    error: Exception | None


def _read_chunk(handle, rest: bytes, spare: list[bytearray]) -> tuple[bytearray, int, Exception | None]:
    """A buffer holding `rest` followed by up to BLOCK_BYTES of the stream, how much of it is
    filled, and the error that cut the read short (a damaged gzip file: what came before is
    kept). The buffer is a spare one when one is large enough: reusing buffers saves the page
    faults of fresh ones."""
    size = len(rest) + BLOCK_BYTES
    text = spare.pop() if spare and len(spare[-1]) >= size else bytearray(size)
    text[: len(rest)] = rest
    filled, error = len(rest), None
    with memoryview(text) as view:
        try:
            while filled < size:
                count = handle.readinto1(view[filled:size])
                if not count:
                    break
                filled += count
        except (EOFError, OSError, zlib.error) as exc:
            error = exc
    return text, filled, error


def _chunks(handle, raw, spare: list[bytearray], whole_frames: Callable[[bytearray, int], int]) -> Iterator[Chunk]:
    """Successive blocks of `handle` (the content; `raw` the file on disk, for progress).

    ``whole_frames(text, filled)`` is the length of the whole frames at the start of
    ``text[:filled]`` (0 when the first frame is not whole yet: the block grows). The last block
    ends at the end of the file, whole or not; a damaged compressed file ends with an empty block
    carrying the error. Buffers the caller is done with go back into `spare`.
    """
    rest, offset, read = b"", 0, 0
    while True:
        text, filled, error = _read_chunk(handle, rest, spare)
        read += filled - len(rest)
        ratio = raw.tell() / max(read, 1)
        if filled == len(rest) and error is None:
            if filled:
                yield Chunk(text, filled, offset, ratio, None)
            return
        cut = whole_frames(text, filled)
        rest = bytes(text[cut:filled])
        if cut > 0:
            yield Chunk(text, cut, offset, ratio, None)
            offset += cut
        if error is not None:
            yield Chunk(bytearray(), 0, offset, ratio, error)
            return


def iter_parsed_blocks(handle, raw, whole_frames: Callable[[bytearray, int], int], submit) -> Iterator:
    """The blocks of a file in order, each as ``submit(pool, chunk, first)`` makes it from a
    `Chunk` and the index of its first frame, while it starts the block's parse in a worker
    thread of `pool`. Blocks are read and submitted ahead of the caller, up to one per thread.

    A block has `text` (its buffer, reused once the caller asks for the next block),
    `n_frames`, `table` (the parse's Future, or None) and `error` (raised by the caller after the
    block's frames; no block after it is read).
    """
    workers, spare = parser_threads(), []
    pending = deque()
    with ThreadPoolExecutor(workers) as pool:
        try:
            chunks, first, stopped = _chunks(handle, raw, spare, whole_frames), 0, False
            while True:
                while not stopped and len(pending) <= workers:
                    chunk = next(chunks, None)
                    if chunk is None:
                        stopped = True
                        break
                    block = submit(pool, chunk, first)
                    pending.append(block)
                    first += block.n_frames
                    stopped = block.error is not None
                if not pending:
                    return
                block = pending.popleft()
                yield block
                spare.append(block.text)
        finally:
            for block in pending:
                if block.table is not None:
                    block.table.cancel()
