# ionflow: `make run` installs everything pinned into .venv and runs the embedded workflow (no root,
# no system packages); `make test` also installs CP2K and SLURM (apt-get, root) and runs every test.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NEP89 := external/nep89.txt
CORES ?= 2
CONFIG ?=

.PHONY: install system-deps run test clean-results

install: $(STAMP) $(NEP89)

# CP2K (PBE + D3(BJ) reference engine) with its basis sets, pseudopotentials and dftd3.dat;
# SLURM and munge for the scheduler test (tests/scheduler starts its own daemons, needs root).
# Only `make test` and config/local_dft.yaml need them; the embedded default does not.
system-deps:
	@command -v cp2k.psmp >/dev/null || { apt-get update && apt-get install -y cp2k cp2k-data; }
	@command -v slurmctld >/dev/null && command -v munged >/dev/null || { apt-get update && apt-get install -y slurm-wlm munge; }

# torch 2.13.0 first: it is a local CPU wheel; any other torch spec pulls a multi-GB CUDA build.
# InterOptimus without its declared dependencies: requirements-nodeps.lock says why.
$(STAMP): requirements.lock requirements-nodeps.lock pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -r requirements-nodeps.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

# NEP89 ships inside the neptrainkit 3.1.5 sdist; take that one file, do not install the GUI.
$(NEP89): | $(STAMP)
	mkdir -p external/sdist
	$(PY) -m pip download -q --no-deps --no-binary neptrainkit neptrainkit==3.1.5 -d external/sdist
	tar -xzf external/sdist/neptrainkit-3.1.5.tar.gz -O neptrainkit-3.1.5/src/NepTrainKit/Config/nep89.txt > $@.part
	echo "75168ece02e840e4a32644f982b78d43cba697f5b64b4c8134ab66c7a8c28be1  $@.part" | sha256sum -c -
	mv $@.part $@

# `make run CONFIG=config/li3ycl6.yaml` runs another config (another material: docs/materials.md).
run: install
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH snakemake --profile profiles/local --cores $(CORES) $(if $(CONFIG),--configfile $(CONFIG))

# Two pytest-xdist workers: the smoke workflow run on one, the SLURM run and the rest on the other
# (tests/conftest.py groups the tests by file so that each fixture is built once).
test: system-deps install
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(PY) -m pytest -ra --durations=10 -n 2 --dist loadfile --no-loadscope-reorder

clean-results:
	rm -rf results .snakemake
