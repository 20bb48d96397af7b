"""Numbers reported by papers 1 (Study A) and 2 (Study B), for the side-by-side comparison tables.

Sources: paper 1 (H. Guo, V. Koverga, S. C. Selvaraj, A. T. Ngo, "Unveiling the lithium-ion transport
mechanism in Li2ZrCl6 solid-state electrolyte via deep learning-accelerated molecular dynamics
simulations"), Tables 1-3; paper 2 (ZrO2/Li2ZrCl6 heterostructures with a neuroevolution potential),
its NEP errors, bulk energies, Arrhenius results and Figs. S5, S12 (glide and layer ratio).
"""

from __future__ import annotations

TABLE1 = {  # extrapolated to 300 K
    "ordered_alpha": {"D_i_cm2_s": 4.18e-9, "D_cm2_s": 1.04e-8, "H_R": 0.40, "sigma_S_cm": 6.57e-4, "E_a_eV": 0.33},
    "disordered_alpha": {"D_i_cm2_s": 2.82e-9, "D_cm2_s": 2.09e-8, "H_R": 0.13, "sigma_S_cm": 1.32e-3, "E_a_eV": 0.30},
    "beta": {"D_i_cm2_s": 1.21e-10, "D_cm2_s": 1.25e-10, "H_R": 0.97, "sigma_S_cm": 7.66e-6, "E_a_eV": 0.45},
}

TABLE2 = {  # 950 K, S/cm
    "ordered_alpha": {"sigma_x_S_cm": 0.184, "sigma_y_S_cm": 0.210, "sigma_z_S_cm": 0.570, "sigma_total_S_cm": 0.964},
    "disordered_alpha": {
        "sigma_x_S_cm": 0.203,
        "sigma_y_S_cm": 0.151,
        "sigma_z_S_cm": 0.844,
        "sigma_total_S_cm": 1.198,
    },
    "beta": {"sigma_x_S_cm": 0.106, "sigma_y_S_cm": 0.099, "sigma_z_S_cm": 0.099, "sigma_total_S_cm": 0.304},
}

TABLE3 = {  # 950 K
    "ordered_alpha": {"tau_site_ps": 5.488, "tau_adjacent_li_ps": 0.697, "jump_length_A": 3.44},
    "disordered_alpha": {"tau_site_ps": 5.241, "tau_adjacent_li_ps": 0.584, "jump_length_A": 3.34},
    "beta": {"tau_site_ps": 87.226, "tau_adjacent_li_ps": 15.422, "jump_length_A": 8.85},
}

TABLES = {"table1": TABLE1, "table2": TABLE2, "table3": TABLE3}

STUDY_B = {
    "nep_rmse": {"test": {"energy_rmse_meV_atom": 5.6, "force_rmse_meV_A": 219.2, "virial_rmse_meV_atom": 17.4}},
    "holdout_interfaces": {"mean": {"abs_error_meV_atom": 10.0}},
    "arrhenius": {
        "lzc_alpha": {"sigma_RT_mS_cm": 0.803, "E_a_eV": 0.29},
        "lzc_ideal": {"sigma_RT_mS_cm": 0.066, "E_a_eV": 0.49},
    },  # ideal: E_a 0.20 eV above alpha
    "polymorph_energies": {
        "lzc_alpha": {"reference_meV_atom": 11.0, "nep_meV_atom": 11.0},
        "lzc_beta": {"reference_meV_atom": 24.0, "nep_meV_atom": 24.0},
    },  # vs ideal, PBE-D3
    "structure": {
        "lzc_beta": {"interlayer_glide_A": 2.2},  # Fig. S5, 300 K
        "lzc_alpha": {"li_rich_to_poor": 2.0},
    },  # Fig. S12: Li-rich : Li-poor layers
}


def compare(ours: dict[str, dict[str, dict[str, float]]], tables: dict = TABLES) -> list[dict]:
    """Rows ``table, phase, quantity, paper, ionflow, relative_difference`` for every paper number.

    ``ours[table][phase][quantity]`` holds ionflow's value; a number ionflow did not compute
    (phase or quantity missing) is listed with an empty ``ionflow`` so the gap is visible.
    """
    rows = []
    for table, reported in tables.items():
        for phase, quantities in reported.items():
            for quantity, paper_value in quantities.items():
                value = ours.get(table, {}).get(phase, {}).get(quantity)
                rows.append(
                    {
                        "table": table,
                        "phase": phase,
                        "quantity": quantity,
                        "paper": paper_value,
                        "ionflow": value,
                        "relative_difference": None if value is None else (value - paper_value) / paper_value,
                    }
                )
    return rows
