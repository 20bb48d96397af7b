"""Train one NEP model in a GPUMD-style directory with GPUMD's ``nep`` or with ``neppo``."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path

log = logging.getLogger("ionflow")


def train_nep(directory: str | Path, trainer: str, command: str | None = None) -> dict:
    """Train in ``directory`` (``nep.in``, ``train.xyz``, ``test.xyz``) and return the record.

    ``trainer``: ``nep`` runs GPUMD's executable (``command``, default ``nep``; needs a CUDA
    GPU, restarts by itself from ``nep.restart``); ``neppo`` trains on the CPU by gradient
    descent (AdamW) instead of SNES. ``trainer.json`` beside ``nep.txt`` records which
    trainer made the model, so every later table can say so.
    """
    directory = Path(directory)
    if trainer == "nep":
        executable = shutil.which(command or "nep")
        if executable is None:
            raise RuntimeError(f"{directory}: GPUMD's nep executable ({command or 'nep'}) is not on PATH; "
                               "set nep.trainer: neppo in the config to train on the CPU")
        with (directory / "nep.out").open("w") as out:
            subprocess.run([executable], cwd=directory, stdout=out, stderr=subprocess.STDOUT, check=True)
        record = {"trainer": "nep", "executable": executable}
    elif trainer == "neppo":
        from neppo.nep_in import run

        logging.getLogger("neppo").setLevel(logging.INFO)
        run(directory, device="cpu")
        record = {"trainer": "neppo", "version": version("neppo"), "device": "cpu",
                  "optimizer": "adamw (gradient descent, not GPUMD's SNES)"}
    else:
        raise ValueError(f"unknown NEP trainer {trainer!r}; use nep or neppo")
    if not (directory / "nep.txt").is_file():
        raise RuntimeError(f"{directory}: {trainer} finished without writing nep.txt; see its log")
    tmp = directory / "trainer.json.tmp"
    tmp.write_text(json.dumps(record, indent=2))
    os.replace(tmp, directory / "trainer.json")
    return record
