"""Snakemake adapter: build one production interface (InterOptimus's match of the paper's orientation
with the lowest strain measure within the production limits, on the first lattice that has one, found
again on the relaxed cells; its termination pairs ranked by interface energy at their best
registration with the foundation model) at the configured size."""

from pymatgen.io.ase import AseAtomsAdaptor

from ionflow.io import read_frames, write_csv, write_frames
from ionflow.logs import log_to
from ionflow.reference import make_calculator
from ionflow.structures.interfaces.registration import production_interface

TERMINATIONS = [
    "film_termination",
    "substrate_termination",
    "cnid_shift_a",
    "cnid_shift_b",
    "gap_A",
    "energy_eV",
    "gamma_J_m2",
    "calls",
]

with log_to(snakemake.log[0]) as log:
    spec = snakemake.params.spec
    bulk = {spec["zro2"]: read_frames(snakemake.input.zro2)[0], spec["lzc"]: read_frames(snakemake.input.lzc)[0]}
    zro2, lzc = (AseAtomsAdaptor.get_structure(bulk[spec[name]]) for name in ("zro2", "lzc"))
    energies = {name: atoms.info["energy_eV_per_atom"] for name, atoms in bulk.items()}
    calculator = make_calculator(snakemake.params.foundation)
    try:  # LZC film strained onto the ZrO2 substrate (docs/interface_screening.md)
        atoms, ranking, repeat = production_interface(
            lzc, zro2, spec, snakemake.params.interfaces, calculator, energies
        )
    except RuntimeError as err:
        raise RuntimeError(f"{snakemake.output.structure}: {err}") from err
    atoms.info.update(system=snakemake.wildcards.interface)
    measure = snakemake.params.interfaces["strain_measure"]
    for row in ranking:
        log.info(
            "termination pair %s / %s: gamma %.3f J/m^2 at CNID shift (%.3f, %.3f), gap %.2f A (%d calls)",
            row["film_termination"],
            row["substrate_termination"],
            row["gamma_J_m2"],
            row["cnid_shift_a"],
            row["cnid_shift_b"],
            row["gap_A"],
            row["calls"],
        )
    log.info(
        "%s: matched on the %s lattice with %s %.4f; on the relaxed cells max length strain %.4f, area %.1f A^2; "
        "lowest-gamma termination pair of %d; repeat %s, %d atoms (%s / %s)",
        snakemake.wildcards.interface,
        atoms.info["matching_lattice"],
        measure,
        atoms.info[f"matching_{measure}"],
        atoms.info["max_length_strain"],
        atoms.info["area_A2"],
        len(ranking),
        repeat,
        len(atoms),
        atoms.info["film_formula"],
        atoms.info["substrate_formula"],
    )
    write_csv(ranking, snakemake.output.terminations, TERMINATIONS)
    write_frames([atoms], snakemake.output.structure)
