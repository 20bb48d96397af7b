"""What the workflow plans before anything runs: MD sampling steps, frame and chunk counts, MD
condition names, the elements of the structures, the trainings of active learning. Only the
standard library: the Snakefile imports it to build the DAG."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

CONDITION = re.compile(r"^(nvt)_T(\d+)$|^(npt)_T(\d+)_P(\d+)$")


def steps(duration_fs: float, timestep_fs: float) -> int:
    """Number of MD steps in ``duration_fs`` (both in fs); must be a whole number of steps."""
    n = duration_fs / timestep_fs
    if abs(n - round(n)) > 1e-6:
        raise ValueError(f"{duration_fs} fs is not a whole number of {timestep_fs} fs steps")
    return int(round(n))


def sampling_plan(
    duration_ps: float, timestep_fs: float, sample_every_fs: float, equilibration_ps: float = 0.0
) -> tuple[int, int, list[int]]:
    """(equilibration steps, steps between kept frames, production steps at which a frame is kept)."""
    n_equilibration = steps(equilibration_ps * 1000.0, timestep_fs)
    stride = max(1, steps(sample_every_fs, timestep_fs))
    return n_equilibration, stride, list(range(0, steps(duration_ps * 1000.0, timestep_fs), stride))


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


ELEMENT = re.compile(r"^([A-Z][a-z]?)")


def cif_elements(path: str | Path) -> list[str]:
    """Element symbols of a CIF's ``_atom_site_type_symbol`` column (else its labels), in order of
    first appearance; charges and digits dropped (``Zr4+`` → ``Zr``). For the DAG only: the
    structures themselves are read with pymatgen/ASE."""
    lines = Path(path).read_text().splitlines()
    for start, line in enumerate(lines):
        if line.strip() != "loop_":
            continue
        header = []
        for line in lines[start + 1 :]:
            if not line.strip().startswith("_"):
                break
            header.append(line.split()[0])
        column = next((header.index(k) for k in ("_atom_site_type_symbol", "_atom_site_label") if k in header), None)
        if column is None:
            continue
        elements = []
        for line in lines[start + 1 + len(header) :]:
            fields = shlex.split(line)
            if not fields or fields[0].startswith(("_", "loop_", "#")):
                break
            match = ELEMENT.match(fields[column])
            if match and match.group(1) not in elements:
                elements.append(match.group(1))
        if elements:
            return elements
    raise ValueError(f"{path}: no _atom_site loop with element symbols; is this a CIF?")


def type_map(element_lists: list[list[str]], mobile: str) -> list[str]:
    """One type order for every phase of a study (DeePMD ``type_map``, LAMMPS types 1, 2, ...): the
    mobile species first, then the other elements in order of first appearance over the phases
    (Li2ZrCl6's CIFs list Li, Zr, Cl)."""
    elements = [mobile]
    for element in (e for es in element_lists for e in es):
        if element not in elements:
            elements.append(element)
    if not any(mobile in es for es in element_lists):
        raise ValueError(f"the mobile species {mobile} is in none of the structures ({elements[1:]})")
    return elements


def warm_start_source(settings: dict, iteration: int, member: str) -> tuple[int, str] | None:
    """(iteration, member) of the model that committee member ``member`` of active-learning
    ``iteration`` starts from, or None for random parameters. Only with the ``nep`` settings'
    ``warm_start_generation``: a member continues from itself one iteration earlier, and the
    ``full`` model (all data) from the same iteration's ``model1``."""
    if "warm_start_generation" not in settings:
        return None
    if member == "full":
        return iteration, "model1"
    return (iteration - 1, member) if iteration > 0 else None


def training_generations(settings: dict, iteration: int, member: str) -> int:
    """Generations (optimizer steps for neppo) of ``member``'s training in ``iteration``."""
    warm = warm_start_source(settings, iteration, member) is not None
    return settings["warm_start_generation"] if warm else settings["generation"]
