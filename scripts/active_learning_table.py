"""Snakemake adapter: the per-iteration summaries as one table."""

import csv
import json
from pathlib import Path

from ionflow.io import atomic_path
from ionflow.logs import log_to
from ionflow.plotting import save_figure
from ionflow.potentials.nep.figures import plot_al_convergence
from ionflow.provenance import name_inputs

with log_to(snakemake.log[0]):
    rows = [json.loads(Path(path).read_text()) for path in snakemake.input]
    with atomic_path(snakemake.output.table) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    save_figure(plot_al_convergence(rows), snakemake.output.figure)

name_inputs(snakemake.output, snakemake.input)
