"""What a NEP MD run is: stages, integration settings, restartable chunks and GPUMD's ``run.in``.

Ensembles follow paper B: NVT with the Bussi–Donadio–Parrinello thermostat (``nvt_bdp``) and
NPT with BDP plus the stochastic cell rescaling barostat (``npt_scr``). A run is cut into
chunks of ``MDSettings.chunk_steps`` (each stage into chunks of its own); ``ionflow.md.nep``
runs them. See ``docs/restart.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ionflow.plan import Condition, steps

BAR_TO_GPA = 1e-4


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


def check_chunk_steps(stages: list[Stage], settings: MDSettings) -> None:
    """GPUMD counts output intervals from each run's start, so chunks must end on output steps."""
    for every in [settings.thermo_every] + [s.dump_every for s in stages if s.dump_every]:
        if settings.chunk_steps % every:
            raise ValueError(
                f"key 'chunk_ps': {settings.chunk_steps} steps is not a multiple of the output "
                f"interval of {every} steps (dump_every_fs / timestep_fs); make chunk_ps a "
                "multiple of dump_every_fs"
            )


def start_fs(stages: list[Stage], chunk: Chunk, settings: MDSettings) -> float:
    """Simulated time (fs) at the start of ``chunk``, earlier stages included."""
    return (sum(s.steps for s in stages[: chunk.stage]) + chunk.start_step) * settings.timestep_fs
