"""LAMMPS text dumps read frame by frame as bytes, and the chunk dumps of one run joined into one
trajectory (the repeated boundary frame dropped, gaps refused)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ionflow.io import atomic_path


def dump_frames(path: str | Path) -> Iterator[tuple[int, bytes]]:
    """(timestep, text) of each frame of a LAMMPS text dump, in file order, copied verbatim."""
    path = Path(path)
    with open(path, "rb") as handle:
        index = 0
        while True:
            header = [handle.readline() for _ in range(4)]
            if not header[0]:
                return
            try:
                if not (header[0].startswith(b"ITEM: TIMESTEP") and header[2].startswith(b"ITEM: NUMBER")):
                    raise ValueError("no 'ITEM: TIMESTEP' / 'ITEM: NUMBER OF ATOMS' header")
                timestep, n_atoms = int(header[1]), int(header[3])
            except ValueError as err:
                raise ValueError(f"{path}: frame {index} is truncated or not a LAMMPS dump ({err})") from None
            body = [handle.readline() for _ in range(5 + n_atoms)]  # box bounds (4 lines), ITEM: ATOMS, atoms
            if not body[-1].endswith(b"\n"):
                raise ValueError(f"{path}: frame {index} (step {timestep}) is truncated")
            yield timestep, b"".join(header + body)
            index += 1


def concatenate_dumps(paths: list[str | Path], destination: str | Path, dump_every_steps: int) -> int:
    """Write the frames of consecutive chunk dumps as one dump, atomically; return its frame count.

    A chunk's first frame may repeat the previous chunk's last (same step, same state); that
    copy is dropped. Any other repeat or gap in the timesteps raises, naming the file.
    """
    count, last = 0, None
    with atomic_path(destination) as tmp, open(tmp, "wb") as out:
        for path in paths:
            for index, (timestep, text) in enumerate(dump_frames(path)):
                if index == 0 and timestep == last:
                    continue
                if last is not None and timestep != last + dump_every_steps:
                    raise ValueError(
                        f"{path}: frame {index} is at step {timestep} after step {last}; "
                        f"expected step {last + dump_every_steps} (a chunk is missing or repeated)"
                    )
                out.write(text)
                count, last = count + 1, timestep
    return count
