"""What the DAG knows before anything runs: the elements of each shipped CIF (checked against
pymatgen's parser) the one type order of a study, and which model an active-learning training starts from."""

from pathlib import Path

import pytest
from pymatgen.io.cif import CifParser

from ionflow.plan import cif_elements, frames_per_run, n_chunks, training_generations, type_map, warm_start_source

CIFS = sorted((Path(__file__).resolve().parents[2] / "config/structures").glob("*.cif"))


@pytest.mark.parametrize("path", CIFS, ids=lambda p: p.name)
def test_cif_elements_match_pymatgen(path):
    structure = CifParser(path).parse_structures(primitive=False)[0]
    assert set(cif_elements(path)) == {element.symbol for element in structure.composition.elements}


def test_type_map_puts_the_mobile_species_first_then_first_appearance():
    assert type_map([["Zr", "Cl", "Li"], ["Li", "Zr", "Cl", "O"]], "Li") == ["Li", "Zr", "Cl", "O"]
    with pytest.raises(ValueError, match="mobile species Na is in none of the structures"):
        type_map([["Li", "Zr", "Cl"]], "Na")


def test_frame_and_chunk_counts_by_hand():
    assert frames_per_run(0.6, 1.0, 15) == 40  # steps 0, 15, ..., 585
    assert n_chunks(40, 16) == 3 and n_chunks(48, 16) == 3


def test_warm_starts_chain_each_member_to_itself_and_full_to_model1():
    settings = {"generation": 6000, "warm_start_generation": 2000}
    assert warm_start_source(settings, 0, "model2") is None
    assert warm_start_source(settings, 3, "model2") == (2, "model2")
    assert warm_start_source(settings, 0, "full") == (0, "model1")
    assert [training_generations(settings, 0, m) for m in ("model1", "full")] == [6000, 2000]
    assert training_generations(settings, 1, "model4") == 2000
    cold = {"generation": 6000}
    assert warm_start_source(cold, 3, "full") is None and training_generations(cold, 3, "full") == 6000
