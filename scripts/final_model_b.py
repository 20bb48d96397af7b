"""Snakemake adapter: the production NEP model = the final iteration's model trained on all data."""

import json
import shutil
from pathlib import Path

from ionflow.io import atomic_path, write_json
from ionflow.logs import log_to

with log_to(snakemake.log[0]) as log:
    source = Path(snakemake.input[0])
    with atomic_path(snakemake.output.model) as tmp:
        shutil.copy(source, tmp)
    record = json.loads((source.parent / "trainer.json").read_text())
    record.update(source=str(source), iteration=int(source.parts[-4].removeprefix("iter")))
    write_json(record, snakemake.output.provenance)
    log.info("final model from %s (%s)", source, record["trainer"])
