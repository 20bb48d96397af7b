"""Snakemake adapter: every published Study B number of input.reference beside ours (RMSEs,
hold-out error, sigma_RT and E_a of alpha and ideal, polymorph energies, beta glide, alpha Li
layer ratio)."""

import json

import numpy as np
import pandas as pd

from ionflow.io import write_csv
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.reference_values import compare, load_reference_values


def rows(path):
    """The rows of one of our tables; an empty cell (a number the data did not support) is NaN."""
    return pd.read_csv(path, comment="#").to_dict("records")


with log_to(snakemake.log[0]):
    rmse = {
        row["set"]: {k: float(v) for k, v in row.items() if k.endswith(("_atom", "_A"))}
        for row in rows(snakemake.input.rmse)
    }
    holdout = [abs(float(row["error_meV_atom"])) for row in rows(snakemake.input.holdout)]
    ours = {
        "nep_rmse": rmse,
        "holdout_interfaces": {"mean": {"abs_error_meV_atom": float(np.mean(holdout))}} if holdout else {},
        "arrhenius": {
            row["phase"]: {"sigma_RT_mS_cm": float(row["sigma_RT_mS_cm"]), "E_a_eV": float(row["E_a_eV"])}
            for row in rows(snakemake.input.arrhenius)
        },
        "polymorph_energies": {
            row["phase"]: {k: float(row[k]) for k in ("reference_meV_atom", "nep_meV_atom")}
            for row in rows(snakemake.input.polymorphs)
        },
        "structure": {
            row["phase"]: {"li_rich_to_poor": float(row["rich_to_poor"])} for row in rows(snakemake.input.layers)
        },
    }
    with open(snakemake.input.glide) as handle:
        glide = json.load(handle)
    ours["structure"].setdefault(glide["system"], {})["interlayer_glide_A"] = glide["final_mean_glide_A"]
    write_csv(compare(ours, load_reference_values(snakemake.input.reference[0])), snakemake.output[0])

name_inputs(snakemake.output, snakemake.input)
