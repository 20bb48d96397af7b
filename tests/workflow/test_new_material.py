"""A third material by configuration alone: Study A's whole DAG on Li3InCl6 at smoke size.

The material part (structure, ordering, cells, reference values) is config/li3incl6.yaml's; the run
lengths are config/smoke.yaml's, so this measures plumbing, not physics (docs/materials.md has the
embedded-size run). Nothing in the run may fall back to Li2ZrCl6: no Zr anywhere in its tables.
"""

import json

import pandas as pd
import pytest
import yaml
from pymatgen.core import Structure

from tests.workflow.helpers import copy_workflow, snakemake

pytestmark = pytest.mark.workflow
R = "results/li3incl6"
SMOKE_BLOCKS = ("structures", "aimd", "deepmd", "md", "transport", "validation", "analysis")


def smoke_material_config(workdir) -> str:
    """config/li3incl6.yaml with the smoke run lengths and a 40-atom cell; returns its path."""
    material = yaml.safe_load((workdir / "config/li3incl6.yaml").read_text())
    smoke = yaml.safe_load((workdir / "config/smoke.yaml").read_text())
    material.update({block: smoke[block] for block in SMOKE_BLOCKS})
    phase = material["phases"]["li3incl6"]
    phase.update(supercell=[2, 1, 1], validation_supercell=[2, 1, 1], md_temperatures=[1000, 1200])
    path = "config/li3incl6_smoke.yaml"
    (workdir / path).write_text(yaml.safe_dump(material, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def material_run(tmp_path_factory):
    workdir = copy_workflow(tmp_path_factory.mktemp("li3incl6"))
    snakemake(["--profile", "profiles/local", "--cores", "2", "--configfile", smoke_material_config(workdir)], workdir)
    return workdir


def test_type_map_and_structure_come_from_the_cif(material_run):
    cif = Structure.from_file(material_run / "config/structures/Li3InCl6_C2m_avg_partialocc_RECONSTRUCTED.cif")
    assert cif.composition.reduced_formula == "Li3InCl6"
    training = json.loads((material_run / R / "models/li3incl6/input.json").read_text())
    assert training["model"]["type_map"] == ["Li", "In", "Cl"]


def test_tables_hold_the_new_material_and_nothing_of_li2zrcl6(material_run):
    tables = sorted((material_run / R / "tables").glob("*.csv"))
    assert tables, "the run wrote no tables"
    for table in tables:
        text = table.read_text()
        assert "Zr" not in text, f"{table.name} mentions Zr"
    table1 = pd.read_csv(material_run / R / "tables/table1.csv", comment="#")
    assert list(table1.phase) == ["li3incl6"]
    row = table1.iloc[0]
    assert row.isna().any() and isinstance(row.note, str) and row.note, "a smoke run's Table 1 is NaN with a reason"
    validation = pd.read_csv(material_run / R / "tables/potential_validation.csv", comment="#")
    assert list(validation.phase) == ["li3incl6"] and not validation.passed.any()


def test_paper_comparison_reads_the_experimental_value(material_run):
    reference = yaml.safe_load((material_run / "config/reference_values/li3incl6_experiment.yaml").read_text())
    expected = reference["table1"]["li3incl6"]["sigma_S_cm"]
    comparison = pd.read_csv(material_run / R / "tables/paper_vs_ionflow.csv", comment="#")
    row = comparison[(comparison.phase == "li3incl6") & (comparison.quantity == "sigma_S_cm")]
    assert len(row) == 1
    assert row.iloc[0].reference == pytest.approx(expected["value"])
