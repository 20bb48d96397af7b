"""The CPU stand-in for GPUMD: one chunk of NEP MD with calorine's CPUNEP under ASE.

It writes what GPUMD writes: ``dump.xyz`` (extended XYZ frames, as ``dump_xyz``) and
``thermo.out`` (GPUMD's columns for a triclinic box: T (K), K and U (eV), P_xx P_yy P_zz P_yz
P_xz P_xy (GPa), then the cell vectors a, b, c (Å)). NVT uses ASE's ``Bussi`` (GPUMD's
``nvt_bdp``); NPT uses ASE's ``Inhomogeneous_NPTBerendsen`` (cell lengths coupled
independently, angles fixed) for GPUMD's ``npt_scr``: SCR is Berendsen's weak coupling plus a
noise term that restores the right volume fluctuations, so averages agree and fluctuations do
not. GPUMD's ``correct_velocity`` also zeroes the angular momentum; the stand-in removes only
the centre-of-mass momentum (ASE's ``ZeroRotation`` ignores periodic images). A chunk ends
with ``checkpoint.npz`` (positions, cell, momenta, masses and the thermostat's random-generator
state), from which the next chunk goes on bit for bit.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
from ase import Atoms, units
from ase.io import write
from ase.md.bussi import Bussi
from ase.md.nptberendsen import Inhomogeneous_NPTBerendsen
from ase.md.velocitydistribution import Stationary, thermalize_momenta

from ionflow.md.nep_inputs import BAR_TO_GPA, Chunk, MDSettings, Stage
from ionflow.plan import Condition

log = logging.getLogger("ionflow")
CHECKPOINT = "checkpoint.npz"
STOPPED = "stopped.txt"


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


def run_cpunep_chunk(
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
