"""AIMD-protocol sampler: NVT runs driven by a reference calculator, frames kept with labels.

Study A's reference data (§2.2 of paper 1): NVT, 1 fs, at several temperatures on the unit
cells, plus short runs on cells whose coordinates are rescaled by 0.75–1.25. Whatever drives the
dynamics (VASP on a cluster, a foundation model here) also labels the frames it visits.
"""

from __future__ import annotations

import logging
import time

import numpy as np
from ase import Atoms, units
from ase.calculators.singlepoint import SinglePointCalculator
from ase.md.nose_hoover_chain import NoseHooverChainNVT
from ase.md.velocitydistribution import MaxwellBoltzmannDistribution, Stationary

from ionflow.plan import sampling_plan

THERMOSTAT_DAMPING_FS = 100.0
log = logging.getLogger("ionflow")


def rescaled(atoms: Atoms, factor: float) -> Atoms:
    """Copy of ``atoms`` with cell and Cartesian coordinates scaled by ``factor`` (linear)."""
    scaled = atoms.copy()
    scaled.set_cell(atoms.cell * factor, scale_atoms=True)
    return scaled


def labelled_copy(atoms: Atoms, info: dict) -> Atoms:
    """Freeze the current energy (eV), forces (eV/Å) and stress (eV/Å³) into a copy."""
    frame = atoms.copy()
    frame.calc = SinglePointCalculator(
        frame,
        energy=atoms.get_potential_energy(),
        forces=atoms.get_forces(),
        stress=atoms.get_stress(voigt=True),
    )
    frame.info.update(info)
    return frame


def run_nvt(
    atoms: Atoms,
    calculator,
    temperature_K: float,
    duration_ps: float,
    timestep_fs: float,
    sample_every_fs: float,
    equilibration_ps: float,
    seed: int,
    provenance: dict,
) -> list[Atoms]:
    """Nosé–Hoover-chain NVT with ``calculator``; returns labelled frames after equilibration.

    A frame is kept every ``sample_every_fs`` fs of the ``duration_ps`` ps that follow
    ``equilibration_ps`` ps. Each frame's ``info`` holds ``provenance`` plus ``temperature_K``,
    ``step`` (MD step counted from the start, equilibration included), ``time_ps`` (production
    time) and the frame's instantaneous kinetic temperature ``T_inst_K``.
    """
    system = atoms.copy()
    system.calc = calculator
    rng = np.random.default_rng(seed)
    MaxwellBoltzmannDistribution(system, temperature_K=temperature_K, rng=rng)
    Stationary(system)
    dynamics = NoseHooverChainNVT(
        system,
        timestep=timestep_fs * units.fs,
        temperature_K=temperature_K,
        tdamp=THERMOSTAT_DAMPING_FS * units.fs,
    )
    n_equilibration, stride, kept_steps = sampling_plan(duration_ps, timestep_fs, sample_every_fs, equilibration_ps)
    if n_equilibration:
        dynamics.run(n_equilibration)
    frames, start, report_every = [], time.perf_counter(), max(1, len(kept_steps) // 10)
    for number, step in enumerate(kept_steps):
        if number % report_every == 0:
            log.info("%s K: frame %d/%d, %.0f s", temperature_K, number, len(kept_steps), time.perf_counter() - start)
        info = dict(
            provenance,
            temperature_K=temperature_K,
            step=n_equilibration + step,
            time_ps=step * timestep_fs / 1000.0,
            T_inst_K=float(system.get_temperature()),
        )
        frames.append(labelled_copy(system, info))
        dynamics.run(stride)
    return frames
