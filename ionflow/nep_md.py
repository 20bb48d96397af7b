"""NEP molecular dynamics: GPUMD ``run.in`` for clusters, calorine CPUNEP under ASE here.

Both paths produce the same files in one directory: ``dump.xyz`` (extended XYZ frames, as
GPUMD's ``dump_exyz``) and ``thermo.out`` (GPUMD's columns for a triclinic box: T (K),
K and U (eV), P_xx P_yy P_zz P_yz P_xz P_xy (GPa), then the cell vectors a, b, c (Å)).

Ensembles follow paper B: NVT with the Bussi–Donadio–Parrinello thermostat (``nvt_bdp``) and
NPT with BDP plus the stochastic cell rescaling barostat (``npt_scr``). The CPU stand-in uses
ASE's ``Bussi`` for NVT and ASE's ``Inhomogeneous_NPTBerendsen`` for NPT (cell lengths
coupled independently, angles fixed): SCR is Berendsen's weak coupling plus a noise term
that restores the right volume fluctuations, so averages agree and fluctuations do not.
GPUMD's ``correct_velocity`` also zeroes the angular momentum; the stand-in removes only the
centre-of-mass momentum (ASE's ``ZeroRotation`` ignores periodic images).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from ase import Atoms, units
from ase.io import write
from ase.md.bussi import Bussi
from ase.md.nptberendsen import Inhomogeneous_NPTBerendsen
from ase.md.velocitydistribution import MaxwellBoltzmannDistribution, Stationary

log = logging.getLogger("ionflow")
BAR_TO_GPA = 1e-4
CONDITION = re.compile(r"^(nvt)_T(\d+)$|^(npt)_T(\d+)_P(\d+)$")


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
    def parse(cls, name: str) -> "Condition":
        match = CONDITION.match(name)
        if not match:
            raise ValueError(f"condition {name!r} is not nvt_T<K> or npt_T<K>_P<bar>")
        if match.group(1):
            return cls("nvt", float(match.group(2)))
        return cls("npt", float(match.group(4)), float(match.group(5)))


@dataclass(frozen=True)
class Stage:
    """A run at one condition: ``steps`` MD steps, a frame every ``dump_every`` (0: none)."""

    condition: Condition
    steps: int
    dump_every: int = 0


def gpumd_run_in(stages: list[Stage], timestep_fs: float, tau_T_fs: float, tau_p_fs: float,
                 elastic_GPa: float, correct_velocity_every: int, thermo_every: int,
                 potential: str = "nep.txt") -> str:
    """``run.in`` text for GPUMD: BDP NVT or BDP + SCR NPT (triclinic), one ``run`` per stage.

    Coupling times are given to GPUMD in time steps; pressures in GPa; ``elastic_GPa`` is the
    rough elastic modulus GPUMD uses to scale the barostat coupling.
    """
    start_T = stages[0].condition.temperature_K
    lines = [f"potential {potential}", f"velocity {start_T:g}", f"time_step {timestep_fs:g}"]
    t_coup = tau_T_fs / timestep_fs
    p_coup = tau_p_fs / timestep_fs
    for stage in stages:
        c = stage.condition
        if c.ensemble == "nvt":
            lines.append(f"ensemble nvt_bdp {c.temperature_K:g} {c.temperature_K:g} {t_coup:g}")
        else:
            p = c.pressure_bar * BAR_TO_GPA
            lines.append(f"ensemble npt_scr {c.temperature_K:g} {c.temperature_K:g} {t_coup:g} "
                         f"{p:g} {p:g} {p:g} 0 0 0 "
                         + " ".join([f"{elastic_GPa:g}"] * 6) + f" {p_coup:g}")
        lines.append(f"correct_velocity {correct_velocity_every}")
        lines.append(f"dump_thermo {thermo_every}")
        if stage.dump_every:
            lines.append(f"dump_exyz {stage.dump_every} 0 0")
        lines.append(f"run {stage.steps}")
    return "\n".join(lines) + "\n"


def thermo_row(atoms: Atoms) -> str:
    """One ``thermo.out`` line in GPUMD's triclinic layout."""
    stress = -atoms.get_stress(voigt=True, include_ideal_gas=True) / units.GPa
    xx, yy, zz, yz, xz, xy = stress
    values = [atoms.get_temperature(), atoms.get_kinetic_energy(), atoms.get_potential_energy(),
              xx, yy, zz, yz, xz, xy, *atoms.cell.array.ravel()]
    return " ".join(f"{v:.8g}" for v in values) + "\n"


class PotentialFailure(RuntimeError):
    """The MD reached a frame the potential cannot describe (close pair, non-finite positions)."""


def run_cpunep(atoms: Atoms, model: str | Path, stages: list[Stage], timestep_fs: float,
               tau_T_fs: float, tau_p_fs: float, compressibility_per_bar: float,
               correct_velocity_every: int, thermo_every: int, seed: int,
               directory: str | Path, min_distance_A: float = 0.0) -> int:
    """Run ``stages`` with calorine's CPUNEP; write ``dump.xyz`` and ``thermo.out``; frames.

    Frames are streamed to ``*.tmp`` files and renamed at the end. If a frame has a pair of
    atoms closer than ``min_distance_A`` or non-finite positions, the potential has failed:
    the run stops there, keeps the frames so far and says so in the log (exploration with a
    young committee model is expected to find such places).
    """
    from calorine.calculators import CPUNEP

    directory = Path(directory)
    system = atoms.copy()
    system.calc = CPUNEP(str(model))
    rng = np.random.default_rng(seed)
    MaxwellBoltzmannDistribution(system, temperature_K=stages[0].condition.temperature_K, rng=rng)
    Stationary(system)
    dump_tmp, thermo_tmp = directory / "dump.xyz.tmp", directory / "thermo.out.tmp"
    n_frames, elapsed_fs = 0, 0.0
    with dump_tmp.open("w") as dump, thermo_tmp.open("w") as thermo:
        for stage in stages:
            dynamics = _integrator(system, stage.condition, timestep_fs, tau_T_fs, tau_p_fs,
                                   compressibility_per_bar, rng)

            def write_frame(stage=stage, dynamics=dynamics):
                nonlocal n_frames
                failure = _failure(system, min_distance_A)
                if failure:
                    raise PotentialFailure(failure)
                frame = Atoms(system.numbers, positions=system.positions, cell=system.cell, pbc=True)
                frame.info.update(time_ps=(elapsed_fs + dynamics.nsteps * timestep_fs) / 1000,
                                  ensemble=stage.condition.ensemble, temperature_K=stage.condition.temperature_K,
                                  pressure_bar=stage.condition.pressure_bar or 0.0)
                write(dump, frame, format="extxyz")
                n_frames += 1

            dynamics.attach(_after_start(dynamics, lambda: Stationary(system)), interval=correct_velocity_every)
            dynamics.attach(_after_start(dynamics, lambda: thermo.write(thermo_row(system))), interval=thermo_every)
            if stage.dump_every:
                dynamics.attach(_after_start(dynamics, write_frame), interval=stage.dump_every)
            try:
                dynamics.run(stage.steps)
            except PotentialFailure as failure:
                log.warning("%s: stopped at %.3f ps: %s", directory,
                            (elapsed_fs + dynamics.nsteps * timestep_fs) / 1000, failure)
                break
            elapsed_fs += stage.steps * timestep_fs
    os.replace(dump_tmp, directory / "dump.xyz")
    os.replace(thermo_tmp, directory / "thermo.out")
    return n_frames


def _after_start(dynamics, function):
    """An observer that skips step 0: ASE calls observers there, GPUMD's first output is at ``interval``."""

    def observer():
        if dynamics.nsteps:
            function()

    return observer


def _integrator(system: Atoms, condition: Condition, timestep_fs: float, tau_T_fs: float,
                tau_p_fs: float, compressibility_per_bar: float, rng):
    if condition.ensemble == "nvt":
        return Bussi(system, timestep_fs * units.fs, condition.temperature_K, tau_T_fs * units.fs, rng=rng)
    return Inhomogeneous_NPTBerendsen(
        system, timestep_fs * units.fs, temperature_K=condition.temperature_K,
        taut=tau_T_fs * units.fs, pressure_au=condition.pressure_bar * units.bar,
        taup=tau_p_fs * units.fs, compressibility_au=compressibility_per_bar / units.bar)


def _failure(system: Atoms, min_distance_A: float) -> str:
    if not np.isfinite(system.positions).all():
        return "non-finite positions"
    if min_distance_A > 0 and len(system) > 1:
        from ase.neighborlist import neighbor_list

        distances = neighbor_list("d", system, min_distance_A)
        if len(distances):
            return f"pair closer than {min_distance_A} Å ({distances.min():.2f} Å)"
    return ""


def run_gpumd(atoms: Atoms, model: str | Path, directory: str | Path, command: str, log_path: str | Path) -> None:
    """Run GPUMD in ``directory`` (which holds ``run.in``): writes ``model.xyz`` and ``nep.txt``."""
    import shutil
    import subprocess

    from calorine.gpumd import write_xyz

    directory = Path(directory)
    executable = shutil.which(command)
    if executable is None:
        raise RuntimeError(f"{directory / 'run.in'}: {command} is not on PATH; GPUMD needs a CUDA GPU (run with "
                           "--profile profiles/slurm on a cluster) or set the engine to cpunep in the config")
    write_xyz(str(directory / "model.xyz"), atoms)
    shutil.copy(model, directory / "nep.txt")
    with open(log_path, "a") as out:
        subprocess.run([executable], cwd=directory, stdout=out, stderr=subprocess.STDOUT, check=True)
