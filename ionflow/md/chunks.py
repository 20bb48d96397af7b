"""Production MD in restartable chunks: plan, state file, resume and the final concatenation.

A production run (5 ns at full scale) can outlive a scheduler's walltime. It is cut into
chunks of ``md.chunk_ps``; equilibration is a chunk of its own. Each chunk is one LAMMPS run
that starts from the previous chunk's restart file (positions, image flags, velocities,
Nosé–Hoover state, timestep counter) and ends by writing its own. Chunk files live in a work
directory that is not a Snakemake output, so a killed job leaves them in place. A chunk is
finished when its dump, log and restart have been renamed from ``*.part`` and it is recorded
in ``state.json``; a rerun resumes after the last recorded chunk and never repeats one. The
declared trajectory is written only when every chunk is done: the chunk dumps concatenated,
the repeated boundary frame dropped. See ``docs/restart.md``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ase import Atoms

from ionflow.io import atomic_path, file_sha256, write_json
from ionflow.md.dumps import concatenate_dumps, dump_frames
from ionflow.md.lammps import check_no_collapse, chunk_input, last_frame, run_lammps, write_data_file
from ionflow.plan import steps

log = logging.getLogger(__name__)

EQUILIBRATION = "equilibration"
STATE_FILE = "state.json"
DATA_FILE = "system.data"
CHUNK_SUFFIXES = (".in", ".lammpstrj", ".log", ".restart")


@dataclass(frozen=True)
class Chunk:
    """One LAMMPS run of a chunked MD: steps ``start_step`` to ``end_step`` of its phase."""

    name: str
    start_step: int
    end_step: int

    @property
    def production(self) -> bool:
        return self.name != EQUILIBRATION

    @property
    def n_steps(self) -> int:
        return self.end_step - self.start_step

    def frames(self, dump_every_steps: int) -> int:
        """Frames in this chunk's own dump: every multiple of the dump interval in [start, end].

        A chunk that starts on a multiple writes the state it starts from (the previous
        chunk's last frame) again; the concatenation drops that copy.
        """
        if not self.production:
            return 0
        first = -(-self.start_step // dump_every_steps)
        return self.end_step // dump_every_steps - first + 1


def plan_chunks(equilibration_steps: int, production_steps: int, chunk_steps: int) -> list[Chunk]:
    """Equilibration (if any) as one chunk, then production in chunks of ``chunk_steps``.

    Production steps count from 0; the last chunk takes what is left and may be shorter.
    """
    chunks = [Chunk(EQUILIBRATION, 0, equilibration_steps)] if equilibration_steps else []
    for number, start in enumerate(range(0, production_steps, chunk_steps), start=1):
        chunks.append(Chunk(f"production_{number:03d}", start, min(start + chunk_steps, production_steps)))
    return chunks


def trajectory_frames(production_steps: int, dump_every_steps: int) -> int:
    """Frames of the whole production trajectory: steps 0, d, 2d, ... up to the last step."""
    return production_steps // dump_every_steps + 1


@dataclass(frozen=True)
class NVTRun:
    """The settings that decide one NVT trajectory; a resumed run must share all of them.

    Times in fs and ps as in the key names, temperature in K, ``model`` the frozen DP's path.
    """

    model: str
    type_map: tuple[str, ...]
    temperature_K: float
    seed: int
    timestep_fs: float
    tdamp_fs: float
    equilibration_ps: float
    production_ps: float
    chunk_ps: float
    dump_every_fs: float

    @classmethod
    def from_config(cls, md: dict, model: str, type_map: list[str], temperature_K: float, seed: int) -> NVTRun:
        """From the ``md`` config block; without ``md.chunk_ps`` production is one chunk."""
        return cls(
            model,
            tuple(type_map),
            float(temperature_K),
            int(seed),
            md["timestep_fs"],
            md["tdamp_fs"],
            md["equilibration_ps"],
            md["production_ps"],
            md.get("chunk_ps") or md["production_ps"],
            md["dump_every_fs"],
        )

    def _steps(self, key: str, duration_fs: float) -> int:
        try:
            return steps(duration_fs, self.timestep_fs)
        except ValueError:
            raise ValueError(
                f"key 'md.{key}': {duration_fs} fs is not a whole number of "
                f"md.timestep_fs = {self.timestep_fs} fs steps; change one of them"
            ) from None

    @property
    def dump_every_steps(self) -> int:
        return self._steps("dump_every_fs", self.dump_every_fs)

    @property
    def production_steps(self) -> int:
        return self._steps("production_ps", self.production_ps * 1000.0)

    def plan(self) -> list[Chunk]:
        return plan_chunks(
            self._steps("equilibration_ps", self.equilibration_ps * 1000.0),
            self.production_steps,
            self._steps("chunk_ps", self.chunk_ps * 1000.0),
        )


@dataclass
class ChunkState:
    """``state.json`` of a chunk directory: the run's settings and its finished chunks, in order."""

    settings: dict
    finished: list[dict] = field(default_factory=list)

    def save(self, directory: str | Path) -> None:
        write_json(asdict(self), Path(directory) / STATE_FILE)

    @classmethod
    def load(cls, directory: str | Path) -> ChunkState | None:
        """The saved state, or None if there is none."""
        path = Path(directory) / STATE_FILE
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text())
            return cls(data["settings"], data["finished"])
        except (ValueError, KeyError) as err:
            raise ValueError(
                f"{path}: unreadable chunk state ({err!r}); delete {path.parent} to start the run over"
            ) from err


def prepare_workdir(run: NVTRun, atoms: Atoms, workdir: str | Path) -> ChunkState:
    """Write the data file and return the state to continue from.

    Finished chunks of a run with the same settings, model and structure are kept; every other
    file (``*.part`` of a killed chunk, chunks of other settings) is removed.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    with atomic_path(workdir / DATA_FILE) as tmp:
        write_data_file(atoms, tmp, list(run.type_map))
    settings = {
        **asdict(run),
        "type_map": list(run.type_map),
        "model_sha256": file_sha256(run.model),
        "data_sha256": file_sha256(workdir / DATA_FILE),
    }
    del settings["model"]  # its content counts, not where it lies
    state = ChunkState.load(workdir)
    if state is not None and state.settings != settings:
        changed = sorted(k for k in settings if state.settings.get(k) != settings[k])
        log.warning("%s: chunks of a run with other settings (%s); starting over", workdir, ", ".join(changed))
        state = None
    state = state or ChunkState(settings)
    keep = {STATE_FILE, DATA_FILE} | {f"{c['name']}{s}" for c in state.finished for s in CHUNK_SUFFIXES}
    for path in workdir.iterdir():
        if path.name not in keep:
            path.unlink()
    state.save(workdir)
    return state


def _run_chunk(
    run: NVTRun, chunk: Chunk, previous: Chunk | None, workdir: Path, min_distance_A: float, threads: int, log_file: str
) -> dict:
    """Run one chunk into ``*.part`` files, check them, rename them; return its state record."""
    started = time.time()
    text = chunk_input(
        start_from=f"{previous.name}.restart" if previous else DATA_FILE,
        model=run.model,
        type_map=list(run.type_map),
        temperature_K=run.temperature_K,
        seed=run.seed,
        timestep_fs=run.timestep_fs,
        tdamp_fs=run.tdamp_fs,
        n_steps=chunk.n_steps,
        restart_file=f"{chunk.name}.restart.part",
        reset_timestep=chunk.production and previous is not None and not previous.production,
        dump_every_steps=run.dump_every_steps,
        dump_file=f"{chunk.name}.lammpstrj.part" if chunk.production else None,
    )
    (workdir / f"{chunk.name}.in").write_text(text)
    run_lammps(f"{chunk.name}.in", workdir, log_file, threads, lammps_log=f"{chunk.name}.log.part")
    if chunk.production:
        dump = workdir / f"{chunk.name}.lammpstrj.part"
        found = sum(1 for _ in dump_frames(dump))
        if found != chunk.frames(run.dump_every_steps):
            raise RuntimeError(
                f"{dump}: {found} frames, expected {chunk.frames(run.dump_every_steps)}; "
                f"see {workdir / chunk.name}.log.part"
            )
        check_no_collapse(last_frame(dump), min_distance_A, str(dump))
    for suffix in (".lammpstrj", ".log", ".restart"):  # the restart last: it is what a resume needs
        part = workdir / f"{chunk.name}{suffix}.part"
        if part.exists():
            os.replace(part, workdir / f"{chunk.name}{suffix}")
    return {
        "name": chunk.name,
        "start_step": chunk.start_step,
        "end_step": chunk.end_step,
        "frames": chunk.frames(run.dump_every_steps),
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "finished_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "wall_s": round(time.time() - started, 1),
    }


def _write_thermo(state: ChunkState, workdir: Path, destination: Path) -> None:
    """Every chunk's LAMMPS log in order, each under a line saying where and when it ran."""
    with atomic_path(destination) as tmp, open(tmp, "w") as out:
        for record in state.finished:
            out.write(
                f"# ionflow chunk {record['name']}: steps {record['start_step']}-{record['end_step']}, "
                f"process {record['pid']} on {record['host']}, finished {record['finished_utc']}\n"
            )
            out.write((workdir / f"{record['name']}.log").read_text())


def run_chunked_md(
    run: NVTRun,
    atoms: Atoms,
    workdir: str | Path,
    trajectory: str | Path,
    thermo: str | Path,
    min_distance_A: float,
    threads: int,
    log_file: str,
) -> None:
    """Run (or resume) the chunks of ``run`` in ``workdir``, then write the outputs atomically.

    ``trajectory`` gets the production dump with steps 0, d, 2d, ... (exactly
    ``trajectory_frames`` frames), ``thermo`` the chunks' LAMMPS logs; ``workdir`` is removed
    once both exist. Every production chunk's last frame is checked for collapsed atoms
    (``min_distance_A``, Å). LAMMPS output goes to ``log_file``.
    """
    workdir = Path(workdir)
    state = prepare_workdir(run, atoms, workdir)
    plan = run.plan()
    done = len(state.finished)
    if done:
        log.info("resuming after chunk %s: %d of %d chunks finished, not rerun", plan[done - 1].name, done, len(plan))
    for index in range(done, len(plan)):
        chunk = plan[index]
        record = _run_chunk(run, chunk, plan[index - 1] if index else None, workdir, min_distance_A, threads, log_file)
        state.finished.append(record)
        state.save(workdir)
        log.info(
            "chunk %s finished: steps %d-%d in %.1f s", chunk.name, chunk.start_step, chunk.end_step, record["wall_s"]
        )
    dumps = [workdir / f"{c.name}.lammpstrj" for c in plan if c.production]
    joined = workdir / "traj.lammpstrj"
    n_frames = concatenate_dumps(dumps, joined, run.dump_every_steps)
    expected = trajectory_frames(run.production_steps, run.dump_every_steps)
    if n_frames != expected:
        raise RuntimeError(
            f"{workdir}: the chunks hold {n_frames} frames, expected {expected}; "
            f"delete {workdir} to rerun from the start"
        )
    _write_thermo(state, workdir, Path(thermo))
    os.replace(joined, trajectory)
    shutil.rmtree(workdir)
    log.info("%s: %d frames from %d chunks", trajectory, n_frames, len(plan))
