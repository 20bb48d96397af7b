"""Snakemake adapter: the training pool of interfaces (paper B): lattice-match every ZrO2/LZC
pair (LZC film strained onto the ZrO2 substrate), build, drop cells that are the same structure,
relax with the foundation model, keep the lowest per orientation, draw seeds."""

import csv

import numpy as np
from pymatgen.io.ase import AseAtomsAdaptor

from ionflow.io import atomic_path, read_frames, write_frames
from ionflow.logs import log_to
from ionflow.reference import make_calculator
from ionflow.structures.interfaces.build import build_interface, distinct_interfaces
from ionflow.structures.interfaces.energy import pick_seeds, relax_and_rank, select_pool
from ionflow.structures.interfaces.screening import screen_interfaces, screening_table, write_screening_csv

with log_to(snakemake.log[0]) as log:
    pool = snakemake.params.pool
    relax_settings = snakemake.params.relax
    calculator = make_calculator(snakemake.params.foundation)
    candidates, bulk_energies = [], {}
    for (zro2, lzc), zro2_path, lzc_path in zip(snakemake.params.pairs, snakemake.input.zro2, snakemake.input.lzc):
        substrate, film = read_frames(zro2_path)[0], read_frames(lzc_path)[0]
        for name, atoms in ((zro2, substrate), (lzc, film)):
            bulk_energies[name] = atoms.info["energy_eV_per_atom"]
        found = screen_interfaces(
            AseAtomsAdaptor.get_structure(film),
            AseAtomsAdaptor.get_structure(substrate),
            pool["max_miller"],
            pool["max_area_A2"],
            pool["max_strain"],
            film_name=lzc,
            substrate_name=zro2,
            thickness_A=min(pool["zro2_thickness_A"], pool["lzc_thickness_A"]),
        )
        small = [c for c in found if c.film_atoms + c.substrate_atoms <= pool.get("max_atoms", np.inf)]
        log.info("%s/%s: %d candidates, %d within %s atoms", zro2, lzc, len(found), len(small), pool.get("max_atoms"))
        candidates += small[: pool.get("max_candidates_per_pair")]
    with atomic_path(snakemake.output.screening) as tmp:
        write_screening_csv(screening_table(candidates), tmp)
    built = distinct_interfaces(
        [build_interface(c, pool["lzc_thickness_A"], pool["zro2_thickness_A"], pool["gap_A"]) for c in candidates]
    )
    ranked = relax_and_rank(built, calculator, bulk_energies, relax_settings["fmax_eV_A"], relax_settings["max_steps"])
    kept = select_pool(ranked, pool["per_orientation"])
    seeds = pick_seeds(kept, pool["seeds"], pool["seed"])
    if len(seeds) < pool["seeds"]:
        raise RuntimeError(
            f"{snakemake.output.ranking}: only {len(kept)} pool interfaces for {pool['seeds']} seeds; "
            "loosen study_b.pool limits or lower study_b.pool.seeds"
        )
    holdout = [row for row in kept if not any(row is s for s in seeds)][: pool["holdout"]]
    fields = [
        "film",
        "substrate",
        "film_miller",
        "substrate_miller",
        "orientation",
        "film_termination",
        "substrate_termination",
        "area_A2",
        "max_length_strain",
        "energy_eV",
        "gamma_J_m2",
        "converged",
        "role",
    ]
    with atomic_path(snakemake.output.ranking) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for row in ranked:
            role = (
                "seed"
                if any(row is s for s in seeds)
                else "holdout"
                if any(row is h for h in holdout)
                else "pool"
                if any(row is k for k in kept)
                else ""
            )
            writer.writerow({**row, "role": role})
    for number, (row, path) in enumerate(zip(seeds, snakemake.output.seeds), start=1):
        atoms = row["atoms"].copy()
        atoms.info = {
            "system": f"interface{number}",
            "label": f"{row['film']}{row['film_miller']}/{row['substrate']}{row['substrate_miller']}",
            "gamma_J_m2": row["gamma_J_m2"],
        }
        write_frames([atoms], path)
    holdout_frames = []
    for row in holdout:
        atoms = row["atoms"].copy()
        atoms.info = {
            "system": "interface_holdout",
            "label": f"{row['film']}{row['film_miller']}/{row['substrate']}{row['substrate_miller']}",
        }
        holdout_frames.append(atoms)
    write_frames(holdout_frames, snakemake.output.holdout)
    log.info("%d built, %d in the pool, %d seeds, %d hold-out", len(ranked), len(kept), len(seeds), len(holdout))
