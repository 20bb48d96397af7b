"""Snakemake adapter: provenance.json (git commit, config hash, versions) beside the results."""

from ionflow.io import write_json
from ionflow.logs import log_to
from ionflow.provenance import provenance

with log_to(snakemake.log[0]):
    write_json(
        provenance(snakemake.params.config, list(snakemake.input.configs), snakemake.params.study), snakemake.output[0]
    )
