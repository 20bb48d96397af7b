"""nep.in written from config/study_b.yaml matches paper B's sheet key by key."""

from pathlib import Path

import pytest
from calorine.nep import read_nepfile
from neppo.nep_in import read_nep_in

from ionflow.config import load_yaml
from ionflow.potentials.nep.inputs import nep_parameters, write_nep_in

ROOT = Path(__file__).resolve().parents[2]
# PROTOCOLS.md, Study B, "NEP model (GPUMD)"
SHEET = {
    "cutoff": [6.0, 5.0],
    "n_max": [8, 8],
    "basis_size": [12, 12],
    "neuron": 50,
    "zbl": 1.2,
    "generation": 1_000_000,
}


def test_full_config_nep_in_matches_the_sheet(tmp_path):
    study_b = load_yaml(ROOT / "config" / "study_b.yaml")["study_b"]
    assert study_b["nep"]["trainer"] == "nep"
    write_nep_in(nep_parameters(study_b["nep"], study_b["species"], "nep", seed=1), tmp_path / "nep.in")
    written = read_nepfile(str(tmp_path / "nep.in"))
    assert written["version"] == 4
    assert written["type"] == [4, "Li", "Zr", "Cl", "O"]
    for key, value in SHEET.items():
        assert written[key] == pytest.approx(value), key
    assert "seed" not in written  # GPUMD's nep has no seed keyword
    assert list(written)[:3] == ["version", "type", "cutoff"]  # nep rejects cutoff before type


def test_embedded_nep_in_is_read_by_neppo(tmp_path):
    study_b = load_yaml(ROOT / "config" / "config.yaml")["study_b"]
    write_nep_in(nep_parameters(study_b["nep"], study_b["species"], "neppo", seed=7), tmp_path / "nep.in")
    settings = read_nep_in(tmp_path / "nep.in")
    assert settings["seed"] == ["7"]
    assert settings["cutoff"] == ["6.0", "5.0"] and settings["neuron"] == ["50"]


def test_unknown_trainer_is_named():
    with pytest.raises(ValueError, match="unknown NEP trainer 'gap'"):
        nep_parameters({}, ["Li"], "gap", seed=0)
