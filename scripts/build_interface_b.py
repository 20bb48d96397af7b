"""Snakemake adapter: build one production interface (InterOptimus's match of the paper's orientation
with the lowest strain measure within the production limits, on the first lattice that has one, laid
on the relaxed cells) at the configured size."""

from pymatgen.io.ase import AseAtomsAdaptor

from ionflow.io import read_frames, write_frames
from ionflow.logs import log_to
from ionflow.structures.interfaces.build import production_interface

with log_to(snakemake.log[0]) as log:
    zro2, lzc = (
        AseAtomsAdaptor.get_structure(read_frames(path)[0]) for path in (snakemake.input.zro2, snakemake.input.lzc)
    )
    try:  # LZC film strained onto the ZrO2 substrate (docs/interface_screening.md)
        atoms, candidate, repeat = production_interface(lzc, zro2, snakemake.params.spec, snakemake.params.interfaces)
    except RuntimeError as err:
        raise RuntimeError(f"{snakemake.output[0]}: {err}") from err
    atoms.info.update(system=snakemake.wildcards.interface)
    measure = snakemake.params.interfaces["strain_measure"]
    log.info(
        "%s: matched on the %s lattice with %s %.4f; on the relaxed cells max length strain %.4f, area %.1f A^2, "
        "repeat %s, %d atoms (%s / %s)",
        snakemake.wildcards.interface,
        atoms.info["matching_lattice"],
        measure,
        atoms.info[f"matching_{measure}"],
        candidate.max_length_strain,
        candidate.area_A2,
        repeat,
        len(atoms),
        atoms.info["film_formula"],
        atoms.info["substrate_formula"],
    )
    write_frames([atoms], snakemake.output[0])
