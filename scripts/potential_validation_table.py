"""Snakemake adapter: tables/potential_validation.csv (every phase and temperature) and one
teacher-vs-student figure per row."""

import json

import numpy as np
import pandas as pd

from ionflow.analysis.validation.figures import plot_teacher_student
from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]) as log:
    rows = [json.loads(open(path).read()) for path in snakemake.input.rows]
    for row, curves, figure in zip(rows, snakemake.input.curves, snakemake.output.figures):
        plot_teacher_student(
            dict(np.load(curves)), row, figure, f"{row['phase'].replace('_', ' ')}, {row['temperature_K']:g} K"
        )
        if not row["passed"]:
            verdict = row["verdict"].upper()
            log.error(
                "%s at %g K %s its dynamics validation: %s",
                row["phase"],
                row["temperature_K"],
                "FAILED" if verdict == "FAILED" else "was INCONCLUSIVE in",
                row["note"],
            )
    with atomic_path(snakemake.output.table) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False, float_format="%.4g")

name_inputs(snakemake.output, snakemake.input)
