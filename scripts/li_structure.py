"""Snakemake adapter: RDFs, folded Li density (cube), PMF and XRD of one phase."""

import json

import numpy as np

from ionflow.analysis.structure.density import write_density_cube
from ionflow.io import atomic_path, read_frames, write_json
from ionflow.logs import log_to
from ionflow.studies.study_a import li_structure

with log_to(snakemake.log[0]):
    unit_cell = read_frames(snakemake.input.unit_cell)[0]
    temperature = float(snakemake.params.analysis["temperature_K"])
    arrays, numbers = li_structure(
        snakemake.input.trajectory,
        unit_cell,
        snakemake.params.supercell,
        temperature,
        snakemake.params.analysis,
        snakemake.params.type_map,
        snakemake.params.mobile,
        block_frames=json.loads(open(snakemake.input.transport).read()).get("segment_frames"),
    )
    with atomic_path(snakemake.output.arrays) as tmp:
        np.savez(tmp, temperature_K=temperature, **arrays)
    with atomic_path(snakemake.output.cube) as tmp:
        write_density_cube(tmp, arrays["density"], unit_cell)
    write_json(
        dict(
            numbers, phase=snakemake.wildcards.phase, temperature_K=temperature, trajectory=snakemake.input.trajectory
        ),
        snakemake.output.numbers,
    )
