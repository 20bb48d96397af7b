"""Snakemake adapter: E-V curves of every bulk phase and polymorph energies, reference vs final NEP."""

import csv

import numpy as np

from ionflow.io import atomic_path, read_frames
from ionflow.logs import log_to
from ionflow.plotting import save_figure
from ionflow.potentials.nep.figures import plot_ev_curves
from ionflow.potentials.nep.validation import ev_curve, relative_energies
from ionflow.provenance import name_inputs
from ionflow.reference import make_calculator
from ionflow.reference.foundation import NEPCalculator

with log_to(snakemake.log[0]) as log:
    calculators = {
        "reference": make_calculator(snakemake.params.reference),
        "nep": NEPCalculator(snakemake.input.model),
    }
    scales = snakemake.params.volume_scales
    curves, minimum = {}, {"reference": {}, "nep": {}}
    for name, path in zip(snakemake.params.names, snakemake.input.bulk):
        atoms = read_frames(path)[0]
        curve = {}
        for kind, calculator in calculators.items():
            curve["volume"], curve[kind] = ev_curve(atoms, calculator, scales)
            minimum[kind][name] = float(curve[kind].min())
        curves[name] = curve
        log.info(
            "%s: reference %.4f, NEP %.4f eV/atom at the relaxed volume",
            name,
            curve["reference"][scales.index(1.0)],
            curve["nep"][scales.index(1.0)],
        )
    rows = []
    for material, zero in (("zro2", "zro2_monoclinic"), ("lzc", "lzc_ideal")):
        members = {
            kind: {n: e for n, e in energies.items() if n.startswith(material)} for kind, energies in minimum.items()
        }
        if zero not in members["reference"]:
            zero = next(iter(members["reference"]))
        reference, nep = (relative_energies(members[kind], zero) for kind in ("reference", "nep"))
        rows += [
            {
                "phase": name,
                "relative_to": zero,
                "reference_meV_atom": f"{reference[name]:.1f}",
                "nep_meV_atom": f"{nep[name]:.1f}",
            }
            for name in reference
        ]
    with atomic_path(snakemake.output.curves) as tmp:
        np.savez(tmp, **{f"{name}_{key}": value for name, curve in curves.items() for key, value in curve.items()})
    with atomic_path(snakemake.output.table) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    save_figure(plot_ev_curves(curves), snakemake.output.figure)

name_inputs(snakemake.output, snakemake.input)
