"""Snakemake adapter: train one NEP model in its directory (GPUMD nep or neppo)."""

from pathlib import Path

from ionflow.logs import log_to
from ionflow.potentials.nep.train import train_nep

with log_to(snakemake.log[0]) as log:
    init = dict(snakemake.input.items()).get("init")
    record = train_nep(
        Path(snakemake.output.model).parent,
        snakemake.params.trainer,
        snakemake.params.command,
        init,
        snakemake.params.checkpoint_steps,
    )
    log.info("trained with %s%s: %s", record["trainer"], f", warm-started from {init}" if init else "", record)
