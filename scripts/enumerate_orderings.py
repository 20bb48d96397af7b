"""Snakemake adapter: orderings of a partially occupied CIF that satisfy the phase's rule."""

from ionflow.io import write_frames
from ionflow.logs import log_to
from ionflow.structures.orderings import enumerate_orderings, ordering_class, rule_cation, to_atoms

with log_to(snakemake.log[0]) as log:
    rule, mobile = snakemake.params.rule, snakemake.params.mobile
    structures = enumerate_orderings(
        snakemake.input.cif, snakemake.params.max_orderings, rule, mobile, snakemake.params.oxidation_states
    )
    if not structures:
        raise ValueError(
            f"{snakemake.input.cif}: no ordering satisfies rule {snakemake.params.rule!r}; "
            "raise structures.max_orderings or change the phase's ordering"
        )
    frames = []
    for rank, structure in enumerate(structures):
        atoms = to_atoms(structure)
        cation = rule_cation(rule)
        layers = ordering_class(atoms, cation, mobile) if cation else "any"
        atoms.info.update(ewald_rank=rank, ordering_class=layers, source_cif=snakemake.input.cif)
        frames.append(atoms)
    log.info("%d orderings kept for rule %s", len(frames), snakemake.params.rule)
    write_frames(frames, snakemake.output[0])
