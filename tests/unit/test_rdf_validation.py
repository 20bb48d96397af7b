"""Fig. S3 rows: a learned-potential run identical to the reference run scores zero, and the peaks
are those of partial_rdfs on the same frames."""

import numpy as np
import pytest
from ase.build import bulk
from ase.io import write

from ionflow.analysis.structure.rdf import first_peak_position, partial_rdfs
from ionflow.analysis.validation.rdf import rdf_validation
from ionflow.trajectory.synthetic import write_lammps_dump


def test_the_same_run_in_both_formats_has_equal_peaks_and_zero_difference(tmp_path):
    base = bulk("NaCl", "rocksalt", a=5.64, cubic=True).repeat(2)
    base.symbols = ["Li" if s == "Na" else s for s in base.get_chemical_symbols()]
    rng = np.random.default_rng(5)
    frames = []
    for _ in range(10):
        atoms = base.copy()
        atoms.positions += rng.normal(0, 0.05, atoms.positions.shape)
        frames.append(atoms)
    write(tmp_path / "reference.extxyz", frames, format="extxyz")
    write_lammps_dump(
        tmp_path / "dp.lammpstrj", base.numbers, [a.positions for a in frames], base.cell.array, decimals=8
    )
    runs = {1000: (tmp_path / "reference.extxyz", tmp_path / "dp.lammpstrj")}
    r, curves, rows = rdf_validation("rocksalt", runs, ["Li", "Cl"], 5.0)
    assert [row["pair"] for row in rows] == ["Li-Li", "Li-Cl", "Cl-Cl"]
    _, expected = partial_rdfs(frames, ["Li", "Cl"], r_max=5.0)
    for row in rows:
        assert row["mean_abs_difference"] == pytest.approx(0.0, abs=1e-4)
        peak = first_peak_position(r, expected[row["pair"]])
        assert row["first_peak_reference_A"] == row["first_peak_dp_A"] == pytest.approx(peak, abs=1e-4)
    assert rows[1]["first_peak_reference_A"] == pytest.approx(5.64 / 2, abs=0.05)  # Li-Cl: half the cube edge
    assert set(curves) == {1000}
