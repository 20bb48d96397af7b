"""NEP molecular dynamics in restartable chunks: GPUMD on clusters, calorine CPUNEP under ASE here.

Both engines write the same files in one directory: ``run.in`` (the whole run as one GPUMD
input, the record), ``dump.xyz`` (extended XYZ frames, as GPUMD's ``dump_xyz``) and
``thermo.out`` (GPUMD's columns for a triclinic box: T (K), K and U (eV), P_xx P_yy P_zz P_yz
P_xz P_xy (GPa), then the cell vectors a, b, c (Å)).

Ensembles follow paper B: NVT with the Bussi–Donadio–Parrinello thermostat (``nvt_bdp``) and
NPT with BDP plus the stochastic cell rescaling barostat (``npt_scr``). The CPU stand-in uses
ASE's ``Bussi`` for NVT and ASE's ``Inhomogeneous_NPTBerendsen`` for NPT (cell lengths
coupled independently, angles fixed): SCR is Berendsen's weak coupling plus a noise term
that restores the right volume fluctuations, so averages agree and fluctuations do not.
GPUMD's ``correct_velocity`` also zeroes the angular momentum; the stand-in removes only the
centre-of-mass momentum (ASE's ``ZeroRotation`` ignores periodic images).

A run is cut into chunks of ``MDSettings.chunk_steps`` (each stage into chunks of its own).
Chunk k runs in ``chunks/chunk_000k.tmp/`` and is renamed to ``chunks/chunk_000k/`` once its
outputs are complete. It starts where chunk k-1 ended: CPUNEP from its ``checkpoint.npz``
(positions, cell, momenta, masses and the thermostat's random-generator state, so the resumed
trajectory is the uninterrupted one), GPUMD from its ``restart.xyz`` (``dump_restart``:
positions and velocities) as ``model.xyz``. A rerun keeps the finished chunks of a run with
the same settings, model and structure (``chunks/run.json``) and runs the rest. ``dump.xyz``
and ``thermo.out`` are the chunks' outputs joined once all are done; then ``chunks/`` goes.
See ``docs/restart.md``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from ase import Atoms, units
from ase.io import write
from ase.md.bussi import Bussi
from ase.md.nptberendsen import Inhomogeneous_NPTBerendsen
from ase.md.velocitydistribution import Stationary, thermalize_momenta

from ionflow.io import atomic_path, write_json
from ionflow.plan import Condition, steps
from ionflow.reference.foundation import load_cpunep

log = logging.getLogger("ionflow")
BAR_TO_GPA = 1e-4
GPUMD_TIME = re.compile(r"(?<!\S)Time=(\S+)")
RUN_FILE = "run.json"
CHECKPOINT = "checkpoint.npz"
STOPPED = "stopped.txt"


@dataclass(frozen=True)
class Stage:
    """A run at one condition: ``steps`` MD steps, a frame every ``dump_every`` (0: none)."""

    condition: Condition
    steps: int
    dump_every: int = 0


@dataclass(frozen=True)
class MDSettings:
    """How every stage is integrated.

    Time step and coupling times in fs; ``elastic_GPa`` the rough elastic modulus that scales
    the barostat coupling; step counts between momentum removals (``correct_velocity_every``),
    thermo rows (``thermo_every``, also the frame interval of the stages that dump) and chunk
    ends (``chunk_steps``, 0: one chunk per stage); ``seed`` of the initial velocities and the
    thermostat; ``min_distance_A`` (Å) the closest pair a CPUNEP frame may have (0: no check);
    ``engine`` gpumd or cpunep, ``gpumd_command`` the GPUMD executable.
    """

    timestep_fs: float
    tau_T_fs: float
    tau_p_fs: float
    elastic_GPa: float
    correct_velocity_every: int
    thermo_every: int
    seed: int
    chunk_steps: int = 0
    min_distance_A: float = 0.0
    engine: str = "cpunep"
    gpumd_command: str = "gpumd"

    @classmethod
    def from_config(cls, block: dict, seed: int) -> "MDSettings":
        """From Study B's ``exploration`` or ``md`` block; ``chunk_ps`` absent: one chunk per stage."""
        dt = block["timestep_fs"]
        return cls(
            dt,
            block["tau_T_fs"],
            block["tau_p_fs"],
            block["elastic_GPa"],
            block["correct_velocity_every"],
            max(1, steps(block["dump_every_fs"], dt)),
            seed,
            steps(block.get("chunk_ps", 0) * 1000, dt),
            block.get("min_distance_A", 0.0),
            block["engine"],
            block.get("gpumd_command", "gpumd"),
        )

    def steps(self, duration_ps: float) -> int:
        """MD steps in ``duration_ps`` (ps)."""
        return steps(duration_ps * 1000, self.timestep_fs)


def production_ps(md: dict, interface: bool, temperature_K: float) -> float:
    """Production length (ps) of one Study B run from the ``md`` block: ``interface_ps`` for an
    interface; for a bulk phase ``bulk_long.ps`` below ``bulk_long.below_K`` (K) when that key is
    given (paper 2: 5 ns below 500 K, 2 ns above), else ``bulk_ps``."""
    if interface:
        return md["interface_ps"]
    long = md.get("bulk_long")
    return long["ps"] if long and temperature_K < long["below_K"] else md["bulk_ps"]


@dataclass(frozen=True)
class Chunk:
    """Steps ``start_step`` to ``end_step`` of stage number ``stage``; ``index`` counts the run's chunks."""

    index: int
    stage: int
    start_step: int
    end_step: int

    @property
    def name(self) -> str:
        return f"chunk_{self.index:04d}"

    def outputs(self, every: int) -> int:
        """Rows or frames written every ``every`` steps (0: none) in (start_step, end_step]."""
        return self.end_step // every - self.start_step // every if every else 0


def plan_chunks(stages: list[Stage], chunk_steps: int) -> list[Chunk]:
    """Every stage in chunks of ``chunk_steps`` (0: the whole stage); a stage's last chunk may be shorter."""
    chunks = []
    for number, stage in enumerate(stages):
        if not stage.steps:
            continue
        for start in range(0, stage.steps, chunk_steps or stage.steps):
            chunks.append(Chunk(len(chunks), number, start, min(start + (chunk_steps or stage.steps), stage.steps)))
    return chunks


def gpumd_run_in(stages: list[Stage], settings: MDSettings, continuation: bool = False, restart: bool = False) -> str:
    """``run.in`` text for GPUMD: BDP NVT or BDP + SCR NPT (triclinic), one ``run`` per stage.

    Coupling times go to GPUMD in time steps, pressures in GPa. A run's first chunk draws
    velocities at the first stage's temperature; a ``continuation`` has no ``velocity`` line:
    GPUMD (3.9.5 and later) then takes the velocities in ``model.xyz``, the previous chunk's
    ``restart.xyz``. ``restart`` writes ``restart.xyz`` at the end of every ``run``.
    """
    lines = ["potential nep.txt"]
    if not continuation:
        lines.append(f"velocity {stages[0].condition.temperature_K:g}")
    lines.append(f"time_step {settings.timestep_fs:g}")
    t_coup = settings.tau_T_fs / settings.timestep_fs
    p_coup = settings.tau_p_fs / settings.timestep_fs
    for stage in (s for s in stages if s.steps):
        c = stage.condition
        if c.ensemble == "nvt":
            lines.append(f"ensemble nvt_bdp {c.temperature_K:g} {c.temperature_K:g} {t_coup:g}")
        else:
            p = c.pressure_bar * BAR_TO_GPA
            lines.append(
                f"ensemble npt_scr {c.temperature_K:g} {c.temperature_K:g} {t_coup:g} "
                f"{p:g} {p:g} {p:g} 0 0 0 " + " ".join([f"{settings.elastic_GPa:g}"] * 6) + f" {p_coup:g}"
            )
        lines.append(f"correct_velocity {settings.correct_velocity_every}")
        lines.append(f"dump_thermo {settings.thermo_every}")
        if stage.dump_every:
            lines.append(f"dump_xyz {stage.dump_every} dump.xyz")
        if restart:
            lines.append(f"dump_restart {stage.steps}")
        lines.append(f"run {stage.steps}")
    return "\n".join(lines) + "\n"


def thermo_row(atoms: Atoms) -> str:
    """One ``thermo.out`` line in GPUMD's triclinic layout."""
    stress = -atoms.get_stress(voigt=True, include_ideal_gas=True) / units.GPa
    xx, yy, zz, yz, xz, xy = stress
    values = [
        atoms.get_temperature(),
        atoms.get_kinetic_energy(),
        atoms.get_potential_energy(),
        xx,
        yy,
        zz,
        yz,
        xz,
        xy,
        *atoms.cell.array.ravel(),
    ]
    return " ".join(f"{v:.8g}" for v in values) + "\n"


class PotentialFailure(RuntimeError):
    """The MD reached a frame the potential cannot describe (close pair, non-finite positions)."""


def run_md(
    atoms: Atoms,
    model: str | Path,
    stages: list[Stage],
    settings: MDSettings,
    directory: str | Path,
    log_path: str | Path,
) -> int:
    """Run (or resume) ``stages`` from ``atoms`` with the NEP ``model``; return the frame count.

    Writes ``run.in`` (its first line, a comment, names ``model`` and its SHA-256), then the
    chunks under ``directory/chunks``, then ``dump.xyz`` and
    ``thermo.out`` atomically. GPUMD's output goes to ``log_path``. A CPUNEP frame with a pair
    closer than ``settings.min_distance_A`` or non-finite positions means the potential has
    failed: the run stops there, keeps the frames so far and says so in the log (exploration
    with a young committee model is expected to find such places).
    """
    directory = Path(directory)
    executable = _gpumd_executable(settings.gpumd_command, directory) if settings.engine == "gpumd" else None
    _check_chunk_steps(stages, settings)
    fingerprint = _fingerprint(atoms, model, stages, settings)
    with atomic_path(directory / "run.in") as tmp:
        tmp.write_text(
            f"# nep.txt is {model} (sha256 {fingerprint['model_sha256']})\n" + gpumd_run_in(stages, settings)
        )
    plan = plan_chunks(stages, settings.chunk_steps)
    work = directory / "chunks"
    done = _finished_chunks(work, plan, fingerprint)
    if done:
        log.info(
            "%s: resuming after %s, %d of %d chunks finished, not rerun", work, plan[done - 1].name, done, len(plan)
        )
    if executable is None:  # one system for all chunks: CPUNEP reloads the model for every new Atoms
        system, rng = atoms.copy(), None
        system.calc = load_cpunep(model)
    for chunk in plan[done:]:
        if chunk.index and (work / plan[chunk.index - 1].name / STOPPED).exists():
            break
        started, folder = time.time(), work / f"{chunk.name}.tmp"
        folder.mkdir()
        previous = work / plan[chunk.index - 1].name if chunk.index else None
        stage = stages[chunk.stage]
        if executable:
            _run_gpumd_chunk(atoms, model, stage, chunk, previous, settings, folder, executable, log_path)
        else:
            rng = _run_cpunep_chunk(
                system, rng, stage, chunk, _start_fs(stages, chunk, settings), previous, settings, folder
            )
        if not (folder / STOPPED).exists():
            _check_outputs(folder, chunk, stage, settings)
        os.replace(folder, work / chunk.name)
        log.info(
            "%s: stage %d, steps %d-%d in %.1f s",
            chunk.name,
            chunk.stage,
            chunk.start_step,
            chunk.end_step,
            time.time() - started,
        )
    finished = [c for c in plan if (work / c.name).is_dir()]
    n_frames = _join(work, finished, [_start_fs(stages, c, settings) for c in finished], directory)
    shutil.rmtree(work)
    return n_frames


def _gpumd_executable(command: str, directory: Path) -> str:
    executable = shutil.which(command)
    if executable is None:
        raise RuntimeError(
            f"{directory / 'run.in'}: {command} is not on PATH; GPUMD needs a CUDA GPU (run with "
            "--profile profiles/slurm on a cluster) or set the engine to cpunep in the config"
        )
    return executable


def _check_chunk_steps(stages: list[Stage], settings: MDSettings) -> None:
    """GPUMD counts output intervals from each run's start, so chunks must end on output steps."""
    for every in [settings.thermo_every] + [s.dump_every for s in stages if s.dump_every]:
        if settings.chunk_steps % every:
            raise ValueError(
                f"key 'chunk_ps': {settings.chunk_steps} steps is not a multiple of the output "
                f"interval of {every} steps (dump_every_fs / timestep_fs); make chunk_ps a "
                "multiple of dump_every_fs"
            )


def _start_fs(stages: list[Stage], chunk: Chunk, settings: MDSettings) -> float:
    """Simulated time (fs) at the start of ``chunk``, earlier stages included."""
    return (sum(s.steps for s in stages[: chunk.stage]) + chunk.start_step) * settings.timestep_fs


def _fingerprint(atoms: Atoms, model: str | Path, stages: list[Stage], settings: MDSettings) -> dict:
    """What decides the trajectory: settings, stages, the model's and the structure's content."""
    with open(model, "rb") as handle:
        model_sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
    structure = hashlib.sha256()
    for array in (atoms.numbers, atoms.positions, atoms.cell.array, atoms.pbc):
        structure.update(np.ascontiguousarray(array).tobytes())
    record = {
        "settings": {k: v for k, v in asdict(settings).items() if k != "gpumd_command"},
        "stages": [asdict(s) for s in stages],
        "model_sha256": model_sha256,
        "structure_sha256": structure.hexdigest(),
    }
    return json.loads(json.dumps(record))


def _finished_chunks(work: Path, plan: list[Chunk], fingerprint: dict) -> int:
    """How many of ``plan``'s chunks ``work`` holds for this run; everything else there is removed."""
    run_file = work / RUN_FILE
    saved = json.loads(run_file.read_text()) if run_file.is_file() else None
    if saved != fingerprint:
        if saved is not None:
            changed = sorted(k for k in fingerprint if saved.get(k) != fingerprint[k])
            log.warning("%s: chunks of a run with other %s; starting over", work, ", ".join(changed))
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        write_json(fingerprint, run_file)
    done = 0
    while done < len(plan) and (work / plan[done].name).is_dir():
        done += 1
    keep = {RUN_FILE} | {c.name for c in plan[:done]}
    for path in work.iterdir():
        if path.name not in keep:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    return done


def _run_cpunep_chunk(
    system: Atoms,
    rng: np.random.Generator | None,
    stage: Stage,
    chunk: Chunk,
    start_fs: float,
    previous: Path | None,
    settings: MDSettings,
    folder: Path,
) -> np.random.Generator:
    """Run ``chunk`` with CPUNEP into ``folder``: ``dump.xyz``, ``thermo.out``, then ``checkpoint.npz``.

    ``system`` (with its calculator) and ``rng`` are where the previous chunk of this process
    left them. The first chunk draws Maxwell–Boltzmann velocities at the stage temperature with
    the seed; the first chunk of a resumed run (``rng`` None) starts from the previous chunk's
    checkpoint. A failed potential leaves ``stopped.txt`` (the reason) instead of a checkpoint.
    Returns the generator to go on with.
    """
    if previous is None:
        rng = np.random.default_rng(settings.seed)
        thermalize_momenta(system, stage.condition.temperature_K, rng=rng)
        Stationary(system)
    elif rng is None:
        rng = load_checkpoint(previous / CHECKPOINT, system)
    dynamics = _integrator(system, stage.condition, settings, rng)
    with (folder / "dump.xyz").open("w") as dump, (folder / "thermo.out").open("w") as thermo:

        def observe():
            step = chunk.start_step + dynamics.nsteps
            if not dynamics.nsteps:  # ASE calls observers at step 0; GPUMD's first output is at the interval
                return
            if step % settings.correct_velocity_every == 0:
                Stationary(system)
            if step % settings.thermo_every == 0:
                thermo.write(thermo_row(system))
            if stage.dump_every and step % stage.dump_every == 0:
                failure = _failure(system, settings.min_distance_A)
                if failure:
                    raise PotentialFailure(failure)
                frame = Atoms(system.numbers, positions=system.positions, cell=system.cell, pbc=True)
                frame.info.update(
                    time_ps=(start_fs + dynamics.nsteps * settings.timestep_fs) / 1000,
                    ensemble=stage.condition.ensemble,
                    temperature_K=stage.condition.temperature_K,
                    pressure_bar=stage.condition.pressure_bar or 0.0,
                )
                write(dump, frame, format="extxyz")

        dynamics.attach(observe, interval=1)
        try:
            dynamics.run(chunk.end_step - chunk.start_step)
        except PotentialFailure as failure:
            stopped_ps = (start_fs + dynamics.nsteps * settings.timestep_fs) / 1000
            log.warning("%s: stopped at %.3f ps: %s", folder.parent.parent, stopped_ps, failure)
            (folder / STOPPED).write_text(f"{stopped_ps:.6f} ps: {failure}\n")
            return rng
    save_checkpoint(system, rng, folder / CHECKPOINT)
    return rng


def save_checkpoint(system: Atoms, rng: np.random.Generator, path: Path) -> None:
    """Positions and cell (Å), momenta (ASE units), masses (u) and the generator state, bit for bit."""
    np.savez(
        path,
        numbers=system.numbers,
        positions=system.positions,
        cell=system.cell.array,
        pbc=system.pbc,
        momenta=system.get_momenta(),
        masses=system.get_masses(),
        rng_state=json.dumps(rng.bit_generator.state),
    )


def load_checkpoint(path: Path, system: Atoms) -> np.random.Generator:
    """Put the state ``save_checkpoint`` stored into ``system`` (same atoms); return the generator."""
    with np.load(path) as data:
        if not np.array_equal(data["numbers"], system.numbers):
            raise ValueError(f"{path}: a checkpoint of other atoms; delete {path.parent.parent} to start over")
        system.set_cell(data["cell"])
        system.set_pbc(data["pbc"])
        system.set_positions(data["positions"])
        system.set_masses(data["masses"])
        system.set_momenta(data["momenta"])
        rng = np.random.default_rng()
        rng.bit_generator.state = json.loads(str(data["rng_state"]))
    return rng


def _integrator(system: Atoms, condition: Condition, settings: MDSettings, rng):
    dt, taut = settings.timestep_fs * units.fs, settings.tau_T_fs * units.fs
    if condition.ensemble == "nvt":
        return Bussi(system, dt, condition.temperature_K, taut, rng=rng)
    return Inhomogeneous_NPTBerendsen(
        system,
        dt,
        temperature_K=condition.temperature_K,
        taut=taut,
        pressure_au=condition.pressure_bar * units.bar,
        taup=settings.tau_p_fs * units.fs,
        compressibility_au=BAR_TO_GPA / settings.elastic_GPa / units.bar,
    )


def _failure(system: Atoms, min_distance_A: float) -> str:
    if not np.isfinite(system.positions).all():
        return "non-finite positions"
    if min_distance_A > 0 and len(system) > 1:
        from ase.neighborlist import neighbor_list

        distances = neighbor_list("d", system, min_distance_A)
        if len(distances):
            return f"pair closer than {min_distance_A} Å ({distances.min():.2f} Å)"
    return ""


def _run_gpumd_chunk(
    atoms: Atoms,
    model: str | Path,
    stage: Stage,
    chunk: Chunk,
    previous: Path | None,
    settings: MDSettings,
    folder: Path,
    executable: str,
    log_path: str | Path,
) -> None:
    """Run ``chunk`` with GPUMD in ``folder``: its ``run.in``, ``model.xyz`` and ``nep.txt``, then ``gpumd``."""
    from calorine.gpumd import write_xyz

    piece = Stage(stage.condition, chunk.end_step - chunk.start_step, stage.dump_every)
    (folder / "run.in").write_text(gpumd_run_in([piece], settings, continuation=previous is not None, restart=True))
    if previous is None:
        write_xyz(str(folder / "model.xyz"), atoms)
    else:
        shutil.copy(previous / "restart.xyz", folder / "model.xyz")
    shutil.copy(model, folder / "nep.txt")
    with open(log_path, "a") as out:
        subprocess.run([executable], cwd=folder, stdout=out, stderr=subprocess.STDOUT, check=True)
    restart = folder / "restart.xyz"
    header = restart.read_text().splitlines()[1] if restart.is_file() else ""
    if ":vel:R:3" not in header:
        raise RuntimeError(
            f"{restart}: missing or without velocities, so the next chunk cannot continue; "
            f"see GPUMD's output in {log_path}"
        )


def _check_outputs(folder: Path, chunk: Chunk, stage: Stage, settings: MDSettings) -> None:
    """A chunk is complete when it has every frame and thermo row it should."""
    frames = sum(1 for _ in _xyz_frames(folder / "dump.xyz")) if (folder / "dump.xyz").exists() else 0
    rows = _thermo_rows(folder / "thermo.out")
    expected = chunk.outputs(stage.dump_every), chunk.outputs(settings.thermo_every)
    if (frames, len(rows)) != expected:
        raise RuntimeError(
            f"{folder}: {frames} frames and {len(rows)} thermo rows, expected {expected[0]} and "
            f"{expected[1]}; the chunk is rerun from its start on the next attempt"
        )


def _xyz_frames(path: str | Path) -> Iterator[list[str]]:
    """The frames of an (extended) XYZ file as lists of lines, atom count and comment line first."""
    with open(path) as handle:
        while count := handle.readline():
            lines = [count, handle.readline()] + [handle.readline() for _ in range(int(count))]
            if not lines[-1].endswith("\n"):
                raise ValueError(f"{path}: the last frame is truncated")
            yield lines


def _thermo_rows(path: Path) -> list[str]:
    """Data lines of a ``thermo.out`` (GPUMD writes ``#`` header lines per run)."""
    return [line for line in path.read_text().splitlines(keepends=True) if line.strip() and line[0] != "#"]


def _join(work: Path, chunks: list[Chunk], start_fs: list[float], directory: Path) -> int:
    """Write the chunks' frames and thermo rows, in order, as ``dump.xyz`` and ``thermo.out``; frames.

    GPUMD's ``Time=`` (fs) starts at 0 in every chunk; the chunk's start time is added to it.
    """
    n_frames = 0
    with (
        atomic_path(directory / "thermo.out") as thermo_tmp,
        atomic_path(directory / "dump.xyz") as dump_tmp,
        open(thermo_tmp, "w") as thermo,
        open(dump_tmp, "w") as dump,
    ):
        for chunk, offset in zip(chunks, start_fs):
            folder = work / chunk.name
            thermo.writelines(_thermo_rows(folder / "thermo.out"))
            if not (folder / "dump.xyz").exists():
                continue
            for lines in _xyz_frames(folder / "dump.xyz"):
                lines[1] = GPUMD_TIME.sub(lambda m: f"Time={float(m.group(1)) + offset:.8f}", lines[1])
                dump.writelines(lines)
                n_frames += 1
    return n_frames
