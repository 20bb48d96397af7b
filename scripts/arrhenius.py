"""Snakemake adapter: Arrhenius fits of one phase over its MD temperatures."""

import json

from ionflow.io import write_json
from ionflow.logs import log_to
from ionflow.studies.tables import phase_arrhenius

with log_to(snakemake.log[0]):
    results = [json.loads(open(path).read()) for path in snakemake.input]
    write_json(dict(phase_arrhenius(results), phase=snakemake.wildcards.phase), snakemake.output[0])
