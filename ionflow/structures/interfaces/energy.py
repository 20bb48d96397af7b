"""Relax built interfaces, rank them by interface energy, pick the training pool and seeds.

Interface energy of a periodic two-interface cell (tags 1 substrate, 2 film, see
:mod:`ionflow.structures.interfaces.build`):

    γ = (E_cell − n_film·e_film − n_substrate·e_substrate) / (2 A)

with e the relaxed bulk energy per atom (eV) from the same calculator, A the in-plane area
(Å²); reported in J/m². The film is strained to the substrate's in-plane cell, so γ includes
its coherency strain energy, which is part of what makes a match favourable.

Relaxation: FIRE on atoms plus the cell length normal to the interface (FrechetCellFilter,
mask zz only); the in-plane cell stays the substrate's, as in a coherent interface. BLAS runs
on one thread during relaxations: the optimiser's 3×3 and 3N-vector algebra only pays thread
start-up (10× slower with two threads on a two-core machine, measured with EMT and NEP89).
"""

from __future__ import annotations

import numpy as np
from ase import Atoms
from ase.filters import FrechetCellFilter
from ase.optimize import FIRE
from ase.units import J, m
from threadpoolctl import threadpool_limits

from ionflow.structures.interfaces.build import FILM_TAG, SUBSTRATE_TAG
from ionflow.structures.orderings import relax, to_atoms

EV_PER_A2_IN_J_PER_M2 = 1.0 / (J / m**2)
NORMAL_ONLY = [False, False, True, False, False, False]


def bulk_energy_per_atom(bulk, calculator, fmax_eV_A: float = 0.01, max_steps: int = 300) -> float:
    """Energy per atom (eV) of ``bulk`` (Structure or Atoms) relaxed in atoms and cell."""
    atoms = bulk if isinstance(bulk, Atoms) else to_atoms(bulk)
    with threadpool_limits(limits=1, user_api="blas"):
        relaxed, converged = relax(atoms, calculator, fmax_eV_A, max_steps)
    if not converged:
        raise RuntimeError(
            f"bulk {relaxed.get_chemical_formula()}: relaxation did not reach fmax {fmax_eV_A} eV/Å "
            f"in {max_steps} steps; raise max_steps"
        )
    return relaxed.get_potential_energy() / len(relaxed)


def interface_energy_J_m2(
    atoms: Atoms, energy_eV: float, film_energy_per_atom: float, substrate_energy_per_atom: float
) -> float:
    """γ (J/m²) of a two-interface cell with total energy ``energy_eV`` (bulk energies in eV/atom)."""
    tags = atoms.get_tags()
    area = np.linalg.norm(np.cross(atoms.cell[0], atoms.cell[1]))
    excess = (
        energy_eV
        - np.sum(tags == FILM_TAG) * film_energy_per_atom
        - np.sum(tags == SUBSTRATE_TAG) * substrate_energy_per_atom
    )
    return float(excess / (2.0 * area) * EV_PER_A2_IN_J_PER_M2)


def relax_and_rank(
    interfaces: list[Atoms],
    calculator,
    bulk_energies_eV_per_atom: dict[str, float],
    fmax_eV_A: float = 0.05,
    max_steps: int = 300,
) -> list[dict]:
    """Relax each built interface with ``calculator`` and rank by γ (lowest first).

    ``bulk_energies_eV_per_atom`` maps the film and substrate names in ``atoms.info`` to
    bulk energies per atom. Each row is the interface's ``info`` plus ``energy_eV``,
    ``gamma_J_m2``, ``converged``, ``steps`` and the relaxed ``atoms``.
    """
    rows = []
    for atoms in interfaces:
        missing = {atoms.info["film"], atoms.info["substrate"]} - set(bulk_energies_eV_per_atom)
        if missing:
            raise KeyError(
                f"bulk_energies_eV_per_atom has no energy for {sorted(missing)}; compute it with "
                "bulk_energy_per_atom and the same calculator"
            )
        relaxed = atoms.copy()
        relaxed.calc = calculator
        optimizer = FIRE(FrechetCellFilter(relaxed, mask=NORMAL_ONLY), logfile=None)
        with threadpool_limits(limits=1, user_api="blas"):
            converged = bool(optimizer.run(fmax=fmax_eV_A, steps=max_steps))
        energy = relaxed.get_potential_energy()
        gamma = interface_energy_J_m2(
            relaxed,
            energy,
            bulk_energies_eV_per_atom[atoms.info["film"]],
            bulk_energies_eV_per_atom[atoms.info["substrate"]],
        )
        rows.append(
            {
                **atoms.info,
                "energy_eV": energy,
                "gamma_J_m2": gamma,
                "converged": converged,
                "steps": optimizer.nsteps,
                "atoms": relaxed,
            }
        )
    return sorted(rows, key=lambda row: row["gamma_J_m2"])


def orientation_key(record: dict) -> tuple:
    """One orientation relationship of a record (or built interface ``info``): film, substrate,
    their Miller indices and the match's rank within the pair."""
    return record["film"], record["substrate"], record["film_miller"], record["substrate_miller"], record["orientation"]


def select_pool(rows: list[dict], per_orientation: int = 2) -> list[dict]:
    """The ``per_orientation`` lowest-γ rows of each orientation relationship (paper B: 2)."""
    pool, taken = [], {}
    for row in sorted(rows, key=lambda r: r["gamma_J_m2"]):
        key = orientation_key(row)
        if taken.get(key, 0) < per_orientation:
            pool.append(row)
            taken[key] = taken.get(key, 0) + 1
    return pool


def pick_seeds(pool: list[dict], n_seeds: int = 10, seed: int = 0) -> list[dict]:
    """``n_seeds`` random rows of ``pool``, first one from each film/substrate combination
    (paper B: 10 seeds spanning all ZrO2/Li2ZrCl6 combinations), then any others."""
    rng = np.random.default_rng(seed)
    order = [pool[i] for i in rng.permutation(len(pool))]
    first, rest, seen = [], [], set()
    for row in order:
        combination = (row["film"], row["substrate"])
        (rest if combination in seen else first).append(row)
        seen.add(combination)
    return (first + rest)[:n_seeds]
