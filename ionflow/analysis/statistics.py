"""Standard errors from independent samples: the segments of a run (transport) or its blocks of
consecutive frames (residence times, RDF peaks and PMF barriers of one trajectory)."""

from collections.abc import Callable, Iterable

import numpy as np


def standard_error(values) -> float:
    """Standard error of the mean of ``values``: sample std / √n; NaN for fewer than two or any NaN or ±inf."""
    values = np.asarray(values, dtype=float)
    if len(values) < 2 or not np.all(np.isfinite(values)):
        return float("nan")
    return float(np.std(values, ddof=1) / np.sqrt(len(values)))


def accumulate_blocks(items: Iterable, make: Callable, block_frames: int | None) -> tuple[object, list]:
    """Feed every item (a frame, or what a frame was reduced to) to one accumulator ``make()``
    for the whole run and to one per block of ``block_frames`` consecutive items, in one pass.

    An accumulator is anything with ``add(item)``. Returns (the whole run's, [each complete
    block's]); a last block shorter than ``block_frames`` is left out of the list, and there are
    no blocks when ``block_frames`` is None or 0.
    """
    whole, blocks, block = make(), [], None
    for index, item in enumerate(items):
        whole.add(item)
        if not block_frames:
            continue
        if index % block_frames == 0:
            block = make()
        block.add(item)
        if (index + 1) % block_frames == 0:
            blocks.append(block)
    return whole, blocks
