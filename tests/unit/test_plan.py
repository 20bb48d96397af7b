"""What the DAG knows before anything runs: the elements of each shipped CIF (checked against
pymatgen's parser) and the one type order of a study."""

from pathlib import Path

import pytest
from pymatgen.io.cif import CifParser

from ionflow.plan import cif_elements, frames_per_run, n_chunks, type_map

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
