"""Snakemake adapter: van Hove, nearest-Li map and residence times of one phase."""

import json

import numpy as np

from ionflow.io import atomic_path, read_frames, write_json
from ionflow.logs import log_to
from ionflow.studies.study_a import li_dynamics

with log_to(snakemake.log[0]):
    transport = json.loads(open(snakemake.input.transport).read())
    arrays, numbers = li_dynamics(
        snakemake.input.trajectory,
        read_frames(snakemake.input.unit_cell)[0],
        snakemake.params.supercell,
        snakemake.params.dt_ps,
        snakemake.params.analysis,
        transport["D_self_cm2_s"],
        snakemake.params.mobile,
        D_self_cm2_s_se=transport["D_self_cm2_s_sem"],
        block_frames=transport.get("segment_frames"),  # absent in transport files of older runs
    )
    with atomic_path(snakemake.output.arrays) as tmp:
        np.savez(tmp, **arrays)
    write_json(
        dict(
            numbers,
            phase=snakemake.wildcards.phase,
            temperature_K=transport["temperature_K"],
            trajectory=snakemake.input.trajectory,
        ),
        snakemake.output.numbers,
    )
