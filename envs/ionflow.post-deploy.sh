#!/usr/bin/env bash
# Run by Snakemake (--use-conda) after it creates envs/ionflow.yaml: InterOptimus without its declared
# dependencies, whose pins would downgrade numpy, pandas and pymatgen (requirements-nodeps.lock says why).
# Snakemake may run a copy of this file elsewhere, so the pins are written here; a unit test keeps them
# equal to requirements-nodeps.lock.
set -euo pipefail
pip install --no-deps interoptimus==0.1.4 interfacemaster==1.1.7 scikit-optimize==0.10.2 adjustText==1.4.0
