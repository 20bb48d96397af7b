"""What the workflow plans before anything runs: MD sampling steps, frame and chunk counts, MD
condition names. Only the standard library: the Snakefile imports it to build the DAG."""

from __future__ import annotations

import re
from dataclasses import dataclass

CONDITION = re.compile(r"^(nvt)_T(\d+)$|^(npt)_T(\d+)_P(\d+)$")


def sampling_plan(
    duration_ps: float, timestep_fs: float, sample_every_fs: float, equilibration_ps: float = 0.0
) -> tuple[int, int, list[int]]:
    """(equilibration steps, production steps, production steps at which a frame is kept)."""
    n_equilibration = int(round(equilibration_ps * 1000.0 / timestep_fs))
    n_production = int(round(duration_ps * 1000.0 / timestep_fs))
    stride = max(1, int(round(sample_every_fs / timestep_fs)))
    return n_equilibration, n_production, list(range(0, n_production, stride))


def frames_per_run(duration_ps: float, timestep_fs: float, sample_every_fs: float) -> int:
    """How many frames a sampling run keeps (known before it runs: chunks are planned on it)."""
    return len(sampling_plan(duration_ps, timestep_fs, sample_every_fs)[2])


def n_chunks(n_frames: int, chunk_size: int) -> int:
    """Chunks of at most ``chunk_size`` frames that hold ``n_frames``."""
    return -(-n_frames // chunk_size)


@dataclass(frozen=True)
class Condition:
    """One thermodynamic state: ``ensemble`` (nvt, npt), temperature (K), pressure (bar)."""

    ensemble: str
    temperature_K: float
    pressure_bar: float | None = None

    @property
    def name(self) -> str:
        if self.ensemble == "nvt":
            return f"nvt_T{self.temperature_K:g}"
        return f"npt_T{self.temperature_K:g}_P{self.pressure_bar:g}"

    @classmethod
    def parse(cls, name: str) -> Condition:
        match = CONDITION.match(name)
        if not match:
            raise ValueError(f"condition {name!r} is not nvt_T<K> or npt_T<K>_P<bar>")
        if match.group(1):
            return cls("nvt", float(match.group(2)))
        return cls("npt", float(match.group(4)), float(match.group(5)))
