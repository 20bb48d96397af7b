"""Snakemake adapter: energy error of the final NEP on pool interfaces kept out of training."""

import csv

from ionflow.io import atomic_path, read_frames
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.reference import make_calculator
from ionflow.reference.foundation import NEPCalculator

with log_to(snakemake.log[0]) as log:
    reference, nep = make_calculator(snakemake.params.reference), NEPCalculator(snakemake.input.model)
    rows = []
    for index, atoms in enumerate(read_frames(snakemake.input.holdout)):
        energies = {}
        for name, calculator in (("reference", reference), ("nep", nep)):
            copy = atoms.copy()
            copy.calc = calculator
            energies[name] = copy.get_potential_energy() / len(copy)
        error = 1000 * (energies["nep"] - energies["reference"])
        rows.append(
            {
                "interface": atoms.info.get("label", index),
                "atoms": len(atoms),
                "reference_eV_atom": f"{energies['reference']:.5f}",
                "nep_eV_atom": f"{energies['nep']:.5f}",
                "error_meV_atom": f"{error:.2f}",
            }
        )
        log.info("hold-out %s: %.2f meV/atom", rows[-1]["interface"], error)
    with atomic_path(snakemake.output[0]) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["interface", "atoms", "reference_eV_atom", "nep_eV_atom", "error_meV_atom"]
        )
        writer.writeheader()
        writer.writerows(rows)

name_inputs(snakemake.output, snakemake.input)
