"""Published numbers as data: the reference-values files load, malformed entries are named, and
the comparison rows carry unit and source, worked by hand."""

from pathlib import Path

import pytest
import yaml

from ionflow.config import ConfigError, load_yaml, validate_config
from ionflow.studies.reference_values import compare, load_reference_values, values

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_files_hold_the_papers_numbers():
    paper1 = load_reference_values(ROOT / "config/reference_values/li2zrcl6_paper1.yaml")
    assert values(paper1, "table1")["beta"]["sigma_S_cm"] == 7.66e-6
    assert sum(len(q) for table in paper1.values() for q in table.values()) == 3 * 5 + 3 * 4 + 3 * 3
    paper2 = load_reference_values(ROOT / "config/reference_values/zro2_li2zrcl6_paper2.yaml")
    assert values(paper2, "structure")["lzc_beta"]["interlayer_glide_A"] == 2.2
    assert values(paper2, "missing") == {}


def test_comparison_rows_by_hand(tmp_path):
    reference = {"table1": {"beta": {"E_a_eV": {"value": 0.45, "unit": "eV", "source": "paper 1, Table 1"}}}}
    (row,) = compare({"table1": {"beta": {"E_a_eV": 0.36}}}, reference)
    assert row == {
        "table": "table1",
        "phase": "beta",
        "quantity": "E_a_eV",
        "unit": "eV",
        "reference": 0.45,
        "ionflow": 0.36,
        "relative_difference": pytest.approx((0.36 - 0.45) / 0.45),
        "source": "paper 1, Table 1",
    }
    (missing,) = compare({}, reference)
    assert missing["ionflow"] is None and missing["relative_difference"] is None


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"value": 1.0, "unit": "eV"}, "give exactly {value, unit, source}"),
        ({"value": "x", "unit": "eV", "source": "s"}, "value 'x' is not a number"),
    ],
)
def test_malformed_entries_are_named(tmp_path, entry, message):
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"table1": {"beta": {"E_a_eV": entry}}}))
    with pytest.raises(ConfigError, match=rf"mine.yaml: table1.beta.E_a_eV: {message}"):
        load_reference_values(path)


def test_a_missing_reference_values_file_is_a_config_error(monkeypatch):
    monkeypatch.chdir(ROOT)
    config = load_yaml("config/config.yaml")
    config["reference_values"] = "config/reference_values/mine.yaml"
    with pytest.raises(ConfigError, match=r"key 'reference_values': reference values file .*mine.yaml not found"):
        validate_config(config, "config/schema.yaml", "config/config.yaml")
