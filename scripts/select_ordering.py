"""Snakemake adapter: relax every candidate ordering with the reference, keep the lowest."""

import csv

from ionflow.io import atomic_path, read_frames, write_frames
from ionflow.logs import log_to
from ionflow.reference import make_calculator
from ionflow.structures.orderings import relax

with log_to(snakemake.log[0]) as log:
    calculator = make_calculator(snakemake.params.reference)
    rows, relaxed = [], []
    for index, atoms in enumerate(read_frames(snakemake.input.orderings)):
        result, converged = relax(atoms, calculator, snakemake.params.fmax, snakemake.params.max_steps)
        energy = result.get_potential_energy() / len(result)
        rows.append(
            {
                "candidate": index,
                "ordering_class": atoms.info["ordering_class"],
                "ewald_rank": atoms.info["ewald_rank"],
                "energy_eV_per_atom": f"{energy:.6f}",
                "volume_A3": f"{result.get_volume():.3f}",
                "converged": converged,
            }
        )
        relaxed.append((energy, index, result))
        log.info("candidate %d: %.6f eV/atom, converged=%s", index, energy, converged)
    energy, best, unit_cell = min(relaxed, key=lambda item: item[0])
    unit_cell.info.update(candidate=best, reference=snakemake.params.reference["backend"], energy_eV_per_atom=energy)
    rows.sort(key=lambda row: float(row["energy_eV_per_atom"]))
    with atomic_path(snakemake.output.ranking) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    write_frames([unit_cell], snakemake.output.unit_cell)
