"""Snakemake adapter: every published Study B number of input.reference beside ours (RMSEs,
hold-out error, sigma_RT and E_a of alpha and ideal, polymorph energies, beta glide, alpha Li
layer ratio)."""

import json

import pandas as pd

from ionflow.io import write_csv
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.numbers_b import study_b_numbers
from ionflow.studies.reference_values import compare, load_reference_values

with log_to(snakemake.log[0]):
    tables = ("rmse", "holdout", "arrhenius", "polymorphs", "layers")
    rows = {name: pd.read_csv(snakemake.input[name], comment="#").to_dict("records") for name in tables}
    with open(snakemake.input.glide) as handle:
        ours = study_b_numbers(**rows, glide=json.load(handle))
    write_csv(compare(ours, load_reference_values(snakemake.input.reference[0])), snakemake.output[0])

name_inputs(snakemake.output, snakemake.input)
