"""InterOptimus lattice matching (ionflow.structures.interfaces.interoptimus) against strains
worked by hand from the two lattices, and its Miller-basis conversion against InterOptimus's own."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from pymatgen.core import Lattice, Structure

from ionflow.structures.interfaces.interoptimus import (
    conventional_miller,
    conventional_millers,
    matching_cell,
    orientation_matches,
)

A_CUBIC, A_HEX = 5.10, 6.20  # Å


def fluorite(a=A_CUBIC):
    return Structure.from_spacegroup("Fm-3m", Lattice.cubic(a), ["Zr", "O"], [[0, 0, 0], [0.25, 0.25, 0.25]])


def hexagonal(a=A_HEX, c=6.0):
    return Structure.from_spacegroup("P6/mmm", Lattice.hexagonal(a, c), ["Cl"], [[0, 0, 0]])


def test_cubic_111_on_hexagonal_001_strains_as_worked_by_hand():
    """The smallest match: the film's 1x1 cell on the substrate's sqrt(3) x sqrt(3) R30 cell of the
    (111) plane, whose 2D lattice constant is a / sqrt(2). Equibiaxial stretch lambda = L_s / L_f:
    length strain lambda - 1, Green-Lagrange e = (lambda^2 - 1) / 2 in both in-plane directions,
    von Mises sqrt(2/3 e':e') = 2e/3, no angle strain; area of the film cell sqrt(3)/2 a_f^2."""
    substrate_length = np.sqrt(3) * A_CUBIC / np.sqrt(2)
    stretch = substrate_length / A_HEX
    green = (stretch**2 - 1) / 2
    rows = [
        m.record
        for m in orientation_matches(
            matching_cell(hexagonal()), matching_cell(fluorite()), (0, 0, 1), (1, 1, 1), 40.0, 0.02
        )
    ]
    assert rows, "the sqrt(3) x sqrt(3) match within 2 % was not found"
    smallest = min(rows, key=lambda row: row["area_A2"])
    assert smallest["max_length_strain"] == pytest.approx(stretch - 1, abs=2e-5)
    assert smallest["von_mises_strain"] == pytest.approx(2 * green / 3, abs=2e-5)
    assert smallest["angle_strain"] == pytest.approx(0.0, abs=1e-5)
    assert smallest["area_A2"] == pytest.approx(np.sqrt(3) / 2 * A_HEX**2, rel=1e-4)
    assert smallest["substrate_miller"].replace("-", "") == "(1 1 1)"
    assert smallest["film_miller"] == smallest["film_miller_primitive"] == "(0 0 1)"  # P lattice: one basis


def test_no_match_within_the_search_strain_is_an_empty_list():
    assert (
        orientation_matches(matching_cell(hexagonal()), matching_cell(fluorite()), (0, 0, 1), (1, 1, 1), 40.0, 0.005)
        == []
    )


def test_matching_cell_sets_the_given_lattice_constants_and_keeps_the_rest():
    cell = matching_cell(hexagonal(), {"a": 6.5})  # b = a by symmetry follows
    assert cell.lattice.abc == pytest.approx((6.5, 6.5, 6.0))
    assert cell.lattice.angles == pytest.approx((90, 90, 120))
    assert matching_cell(fluorite(), {"a": 5.0}).lattice.abc == pytest.approx((5.0, 5.0, 5.0))
    with pytest.raises(ValueError, match="only a, b and c"):
        matching_cell(hexagonal(), {"gamma": 90})


def test_primitive_index_converts_as_interoptimus_converts_back():
    """fluorite's primitive (2 2 -1) and (2 2 1) are different conventional planes; InterOptimus's
    own conventional -> primitive conversion takes each back."""
    from InterOptimus.matching import _millers_in_primitive_basis

    cell = matching_cell(fluorite())
    primitive = cell.get_primitive_structure()
    for miller in [(2, 2, -1), (2, 2, 1), (1, 0, 0)]:
        conventional = conventional_miller(miller, cell)
        (back,) = _millers_in_primitive_basis([conventional], cell, primitive)
        assert np.cross(back, miller) == pytest.approx(np.zeros(3))  # parallel: the same plane
    families = conventional_millers((2, 2, 1), cell, "primitive")
    assert {tuple(sorted(map(abs, f))) for f in families} >= {(1, 1, 3), (1, 1, 5)}
    assert conventional_millers((2, 2, 1), cell, "conventional") == [(2, 2, 1)]
    assert conventional_millers((1, 0, 1), matching_cell(hexagonal()), "primitive") == [(1, 0, 1)]


def test_cluster_environment_installs_the_same_interoptimus_pins():
    """envs/ionflow.post-deploy.sh (conda, clusters) and requirements-nodeps.lock (make install) agree."""
    root = Path(__file__).resolve().parents[2]
    lock = {line.strip() for line in (root / "requirements-nodeps.lock").read_text().splitlines()}
    lock = {line for line in lock if line and not line.startswith("#")}
    script = (root / "envs/ionflow.post-deploy.sh").read_text()
    (command,) = [line for line in script.splitlines() if line.startswith("pip install --no-deps")]
    assert set(command.split()[3:]) == lock


def test_importing_interoptimus_leaves_the_environment_of_later_processes_alone():
    """InterOptimus sets OMP_NUM_THREADS=1 and more in os.environ when imported; a training or MD
    started afterwards from the same process would inherit them (a resumed training then differs
    in the last bits from one trained with the default threads)."""
    code = (
        "import os; before = dict(os.environ)\n"
        "from ionflow.structures.interfaces.interoptimus import interface_worker\n"
        "interface_worker()\n"
        "assert dict(os.environ) == before, set(os.environ.items()) ^ set(before.items())"
    )
    env = {key: value for key, value in os.environ.items() if not key.endswith("NUM_THREADS")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
