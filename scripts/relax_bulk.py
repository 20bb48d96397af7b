"""Snakemake adapter: relax one bulk phase (cell and atoms) with the foundation model."""

from ase.io import read

from ionflow.io import write_frames
from ionflow.logs import log_to
from ionflow.reference import make_calculator
from ionflow.structures.orderings import relax, supercell

with log_to(snakemake.log[0]) as log:
    name = snakemake.wildcards.bulk
    atoms = read(snakemake.input.cif)
    settings = snakemake.params.relax
    relaxed, converged = relax(
        atoms,
        make_calculator(snakemake.params.foundation),
        settings.get("bulk_fmax_eV_A", settings["fmax_eV_A"]),
        settings["max_steps"],
    )
    energy = relaxed.get_potential_energy() / len(relaxed)
    relaxed.info.update(
        system=name, energy_eV_per_atom=energy, converged=converged, foundation=snakemake.params.foundation["backend"]
    )
    log.info(
        "%s: %d atoms, %.5f eV/atom, volume %.2f A^3, converged=%s",
        name,
        len(relaxed),
        energy,
        relaxed.get_volume(),
        converged,
    )
    write_frames([relaxed], snakemake.output.relaxed)
    system = supercell(relaxed, snakemake.params.supercell)
    system.info.update(system=name)
    write_frames([system], snakemake.output.system)
