"""Snakemake adapter: teacher vs student dynamics of one phase at one temperature."""

import numpy as np

from ionflow.analysis.validation.study import validate_phase
from ionflow.io import atomic_path, write_json
from ionflow.logs import log_to

with log_to(snakemake.log[0]) as log:
    settings = snakemake.params.validation
    row, curves = validate_phase(
        snakemake.wildcards.phase,
        float(snakemake.wildcards.temperature),
        snakemake.input.teacher,
        snakemake.input.student,
        snakemake.params.dt_ps,
        snakemake.params.type_map,
        snakemake.params.min_distance_A,
        settings["tolerance"],
        window_ps=settings.get("fit_window_ps"),
        parity=dict(np.load(snakemake.input.parity)),
        mobile=snakemake.params.mobile,
        ensemble=dict(np.load(snakemake.input.ensemble)) if "ensemble" in snakemake.input.keys() else None,
    )
    (log.info if row["passed"] else log.error)("validation %s: %s", "passed" if row["passed"] else "FAILED", row)
    write_json(row, snakemake.output.row)
    with atomic_path(snakemake.output.curves) as tmp:
        np.savez(tmp, **curves)
