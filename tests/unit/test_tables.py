"""Paper tables from transport results: Table S3 by Nernst-Einstein worked by hand, Table 2
rows carry the directional terms that add up to the total."""

import pytest
from scipy import constants

from ionflow.tables import table2_rows, table_s3_rows

RESULT = {
    "phase": "beta",
    "temperature_K": 950.0,
    "n_ions": 16,
    "volume_A3": 1552.7,
    "D_self_cm2_s": 2.0e-5,
    "D_collective_cm2_s": 4.0e-5,
    "haven_ratio": 0.5,
    "sigma_S_cm": 0.31,
    "sigma_S_cm_std": 0.02,
    "directional": {
        a: {"sigma_S_cm": s, "sigma_S_cm_std": 0.01, "haven_ratio": 0.4, "D_self_cm2_s": 1e-5}
        for a, s in zip("xyz", (0.1, 0.1, 0.11))
    },
}


def test_table_s3_individual_sigma_is_nernst_einstein_by_hand():
    row = table_s3_rows([RESULT])[0]
    concentration = 16 / (1552.7e-30)  # 1/m^3
    by_hand = concentration * constants.e**2 * 2.0e-5 * 1e-4 / (constants.k * 950.0) / 100.0  # S/cm
    assert row["sigma_individual_S_cm"] == pytest.approx(by_hand, rel=1e-9)
    assert (row["D_i_cm2_s"], row["D_cm2_s"], row["H_R"]) == (2.0e-5, 4.0e-5, 0.5)
    assert row["sigma_collective_S_cm"] == pytest.approx(2 * by_hand, rel=1e-9)  # H_R = 0.5


def test_table2_rows_keep_directional_terms_and_total():
    row = table2_rows([RESULT])[0]
    assert row["sigma_x_S_cm"] + row["sigma_y_S_cm"] + row["sigma_z_S_cm"] == pytest.approx(0.31)
    assert row["sigma_total_S_cm"] == 0.31 and row["haven_ratio_z"] == 0.4
