"""Snakemake adapter: E-V curves of every bulk phase and polymorph energies, reference vs final NEP."""

import numpy as np

from ionflow.io import atomic_path, read_frames, write_csv
from ionflow.logs import log_to
from ionflow.plotting import save_figure
from ionflow.potentials.nep.figures import plot_ev_curves
from ionflow.potentials.nep.validation import ev_curves, polymorph_rows
from ionflow.provenance import name_inputs
from ionflow.reference import make_calculator
from ionflow.reference.foundation import NEPCalculator

with log_to(snakemake.log[0]):
    calculators = {
        "reference": make_calculator(snakemake.params.reference),
        "nep": NEPCalculator(snakemake.input.model),
    }
    structures = {name: read_frames(path)[0] for name, path in zip(snakemake.params.names, snakemake.input.bulk)}
    curves = ev_curves(structures, calculators, snakemake.params.volume_scales)
    with atomic_path(snakemake.output.curves) as tmp:
        np.savez(tmp, **{f"{name}_{key}": value for name, curve in curves.items() for key, value in curve.items()})
    write_csv(polymorph_rows(curves), snakemake.output.table)
    save_figure(plot_ev_curves(curves), snakemake.output.figure)

name_inputs(snakemake.output, snakemake.input)
