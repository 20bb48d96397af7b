"""Snakemake adapter: teacher vs student MD of one Study B system (bulk: diffusion and RDFs;
interface: Li along z)."""

import numpy as np

from ionflow.io import atomic_path, write_json
from ionflow.logs import log_to
from ionflow.studies.validation_b import validate_bulk, validate_interface

with log_to(snakemake.log[0]) as log:
    name, temperature = snakemake.wildcards.mdsys, float(snakemake.wildcards.temperature)
    dynamics, teacher, student = snakemake.params.dynamics, snakemake.input.teacher, snakemake.input.student
    if name in snakemake.params.interfaces:
        row, curves = validate_interface(
            name, temperature, teacher, student, snakemake.params.mobile, snakemake.params.bin_A, dynamics["ks_max"]
        )
    else:
        row, curves = validate_bulk(
            name,
            temperature,
            teacher,
            student,
            snakemake.params.dt_ps,
            snakemake.params.species,
            dynamics["min_distance_A"],
            dynamics["tolerance"],
            snakemake.params.mobile,
        )
    (log.info if row["passed"] else log.error)("validation of %s at %g K: %s", name, temperature, row)
    write_json(row, snakemake.output.row)
    with atomic_path(snakemake.output.curves) as tmp:
        np.savez(tmp, **curves)
