"""Snakemake adapter: tables/potential_validation.csv of either study (one row per phase or system
and temperature) and one teacher-vs-student figure per row: MSD and RDFs, or, for an interface
row (``ks_distance``), the two Li profiles along z."""

import json

import numpy as np
import pandas as pd

from ionflow.analysis.validation.figures import plot_profile_comparison, plot_teacher_student
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]) as log:
    rows = [json.loads(open(path).read()) for path in snakemake.input.rows]
    for row, curves, figure in zip(rows, snakemake.input.curves, snakemake.output.figures):
        name = row["system"] if "system" in row else row["phase"]  # Study B rows name systems
        plot = plot_profile_comparison if "ks_distance" in row else plot_teacher_student
        plot(dict(np.load(curves)), row, figure, f"{name.replace('_', ' ')}, {row['temperature_K']:g} K")
        if not row["passed"]:
            verdict = row["verdict"].upper()
            log.error(
                "%s at %g K %s its dynamics validation: %s",
                name,
                row["temperature_K"],
                "FAILED" if verdict == "FAILED" else "was INCONCLUSIVE in",
                row["note"],
            )
    with atomic_path(snakemake.output.table) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False, float_format="%.4g")

name_inputs(snakemake.output, snakemake.input)
