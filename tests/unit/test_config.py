"""Config validation: valid configs pass; each kind of bad input gives a one-line error."""

from pathlib import Path

import numpy as np
import pytest
import yaml
from ase.io import read

from ionflow.config import ConfigError, check_phase_names, load_yaml, validate_config

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "config" / "schema.yaml"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize(
    "name", ["config.yaml", "study_a.yaml", "local_dft.yaml", "study_b.yaml", "fidelity.yaml", "smoke.yaml"]
)
def test_shipped_configs_are_valid(name):
    config = load_yaml(ROOT / "config" / name)
    validate_config(config, SCHEMA, name)
    if "study_a" in config["studies"]:
        check_phase_names(config["phase_order"], config, name, "phase_order")


def test_study_b_bulk_md_cells_have_the_papers_sizes():
    """PROTOCOLS.md, Study B MD: α 3,888 atoms, β 2,592, ideal 2,592 (CIF atoms counted by ASE)."""
    study_b = load_yaml(ROOT / "config" / "study_b.yaml")["study_b"]
    sizes = {
        phase: len(read(study_b["bulk"][phase]["cif"])) * int(np.prod(supercell))
        for phase, supercell in study_b["md"]["bulk"].items()
    }
    assert sizes == {"lzc_alpha": 3888, "lzc_beta": 2592, "lzc_ideal": 2592}


def _error(config, source="my.yaml"):
    with pytest.raises(ConfigError) as info:
        validate_config(config, SCHEMA, source)
    message = str(info.value)
    assert "\n" not in message
    return message


def _default():
    return load_yaml(ROOT / "config" / "config.yaml")


def test_validation_fills_the_schemas_defaults_and_keeps_what_the_config_sets():
    config = load_yaml(ROOT / "config" / "config.yaml")
    del config["transport"]["sigma_from"]
    del config["phases"]["ordered_alpha"]["reference_supercell"]
    validate_config(config, SCHEMA, "config.yaml")
    assert config["transport"]["sigma_from"] == "collective"  # schema default, a nested object
    assert config["phases"]["ordered_alpha"]["reference_supercell"] == [1, 1, 1]  # in every entry of a mapping
    assert config["phases"]["disordered_alpha"]["reference_supercell"] == [1, 1, 2]  # set by the config
    assert config["study_b"]["md"]["glide"]["min_ps"] == 100.0  # the study_b schema's default
    assert config["study_b"]["analysis"]["transport"]["sigma_from"] == "self"  # paper 2: D = MSD / 6t
    config["phases"]["beta"]["reference_supercell"].append(2)
    assert config["phases"]["ordered_alpha"]["reference_supercell"] == [1, 1, 1]  # each a copy


def test_unknown_key_names_file_and_key():
    config = _default()
    config["md"]["thermostat"] = "berendsen"
    message = _error(config)
    assert message.startswith("my.yaml: key 'md': unknown key 'thermostat'")
    assert "tdamp_fs" in message


def test_wrong_type_names_the_nested_key():
    config = _default()
    config["phases"]["beta"]["supercell"] = "2x1x2"
    assert _error(config).startswith("my.yaml: key 'phases.beta.supercell':")


def test_negative_temperature_is_rejected():
    config = _default()
    config["phases"]["beta"]["md_temperatures"] = [-300]
    assert "phases.beta.md_temperatures.0" in _error(config)


def test_missing_structure_file_names_key_and_file():
    config = _default()
    config["phases"]["beta"]["cif"] = "config/structures/nope.cif"
    message = _error(config)
    assert "phases.beta.cif" in message and "nope.cif" in message


def test_unknown_reference_backend_lists_choices():
    config = _default()
    config["reference"]["backend"] = "gaussian"
    assert "'gaussian' is not one of nep89" in _error(config)


def test_unknown_phase_in_phase_order():
    config = _default()
    with pytest.raises(ConfigError, match=r"my.yaml: key 'phase_order': unknown phase gamma; defined phases: "):
        check_phase_names(["beta", "gamma"], config, "my.yaml", "phase_order")


def test_malformed_yaml_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("studies: [study_a]\nphases: [unclosed\n")
    with pytest.raises(ConfigError, match=r"bad.yaml: line \d+ is not valid YAML"):
        load_yaml(bad)


def test_schema_describes_every_default_key():
    """Every leaf of the embedded default is declared in the schema (no silent extras)."""
    schema = yaml.safe_load(SCHEMA.read_text())
    assert set(_default()) <= set(schema["properties"])


def test_md_with_the_learned_nep_needs_its_validation_and_a_teacher():
    config = _default()
    config["study_b"]["md"]["potential"] = "final"
    assert "'study_b.validation.dynamics' is missing" in _error(config)
    config["study_b"]["validation"]["dynamics"] = {
        "bulk": ["lzc_beta"], "tolerance": {}, "min_distance_A": 1.0, "ks_max": 0.1
    }  # fmt: skip
    assert "lzc_beta not in study_b.md.bulk" in _error(config)
    config["study_b"]["validation"]["dynamics"]["bulk"] = ["lzc_alpha"]
    validate_config(config, SCHEMA, "my.yaml")
    config["study_b"]["reference"] = {"backend": "vasp", "preset": "study_b_static", "command": "vasp_std"}
    assert "study_b.reference (vasp) has none" in _error(config)
