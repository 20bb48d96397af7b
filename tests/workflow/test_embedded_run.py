"""Study A of the embedded default end to end (real NEP89 labels, DeePMD training, LAMMPS MD,
transport), then what a user does next: rerun (no-op), change one phase's temperatures, ask for
one figure. The run itself is the session fixture ``embedded_run`` (conftest.py)."""

import json
import re

import ase.io
import numpy as np
import pandas as pd
import pytest
from scipy import constants

from ionflow.provenance import read_inputs
from tests.workflow.helpers import dry_run_jobs, snakemake

pytestmark = pytest.mark.workflow
R = "results/study_a"


@pytest.fixture(scope="module")
def finished(embedded_run):
    return embedded_run


def test_rerun_is_a_no_op(finished):
    assert dry_run_jobs([], finished) == []


def _expected_table1_value(results, key, passed):
    """Table 1 by hand: ln y against 1/T (scipy) over the diffusive temperatures with y > 0, only
    with ≥ 3 of them and E_a > 0, and only for a phase whose potential passed its validation."""
    used = [r for r in results if r["diffusive"] and r[key] > 0]
    if not passed or len(used) < 3:
        return np.nan, np.nan
    x = np.array([1 / r["temperature_K"] for r in used])
    y, sem = np.log([r[key] for r in used]), np.array([r[f"{key}_sem"] for r in used])
    weights = ([r[key] for r in used] / sem) ** 2 if np.all(sem > 0) else np.ones(len(used))
    slope, intercept = np.polyfit(x, y, 1, w=np.sqrt(weights))
    e_a = -slope * constants.Boltzmann / constants.electron_volt
    return (np.nan, np.nan) if e_a <= 0 else (np.exp(intercept + slope / 300.0), e_a)


def test_table1_is_the_arrhenius_fit_of_the_per_temperature_results(finished):
    table = pd.read_csv(finished / R / "tables/table1.csv", comment="#").set_index("phase")
    validation = pd.read_csv(finished / R / "tables/potential_validation.csv", comment="#")
    assert list(table.index) == ["ordered_alpha", "disordered_alpha", "beta"]
    assert len(validation) == 3
    for phase, row in table.iterrows():
        passed = bool(validation[validation.phase == phase]["passed"].all())
        assert row["potential_validation"] == ("passed" if passed else "failed")
        results = [json.loads((finished / R / f"transport/{phase}/T{t}.json").read_text()) for t in (1000, 1200)]
        for column, key in (
            ("sigma_S_cm", "sigma_S_cm"),
            ("D_i_cm2_s", "D_self_cm2_s"),
            ("D_cm2_s", "D_collective_cm2_s"),
        ):
            at_300, e_a = _expected_table1_value(results, key, passed)
            np.testing.assert_allclose(row[column], at_300, rtol=1e-3)
            if column == "sigma_S_cm":
                np.testing.assert_allclose(row["E_a_eV"], e_a, rtol=1e-3)
                np.testing.assert_equal(np.isnan(row["E_a_eV_se"]), np.isnan(e_a))
        if np.isnan(row["E_a_eV"]):
            assert isinstance(row["note"], str) and row["note"], f"{phase}: NaN without a reason"
        np.testing.assert_allclose(row["H_R"], row["D_i_cm2_s"] / row["D_cm2_s"], rtol=1e-3)


def test_potential_validation_compares_teacher_and_student(finished):
    table = pd.read_csv(finished / R / "tables/potential_validation.csv", comment="#")
    assert not table.empty
    for _, row in table.iterrows():
        verdict = json.loads((finished / R / f"validation/{row.phase}/T1000/seed5/verdict.json").read_text())
        np.testing.assert_allclose(row.D_ratio, verdict["D_student_cm2_s"] / verdict["D_teacher_cm2_s"], rtol=1e-3)
        assert row.closest_pair_student_A > 0 and row.force_r2_min <= 1  # R² < 0: worse than the mean force
        assert isinstance(row.note, str) or row.passed
        assert (finished / R / f"figures/figS3d_potential_validation_{row.phase}_T1000.png").is_file()
        energies = np.load(finished / R / f"validation/{row.phase}/T1000/seed5/ensemble_energies.npz")
        assert len(energies["du_student_eV"]) + energies["frames_failed"] == 8  # validation.ensemble_frames
        gap = (energies["du_teacher_eV"].mean() - energies["du_student_eV"].mean()) / energies["n_atoms"]
        np.testing.assert_allclose(row.ensemble_gap_meV_atom, 1000 * gap, rtol=1e-3)
        assert row.force_rmse_student_frames_eV_A > 0 and row.force_rmse_teacher_frames_eV_A > 0
    log = (finished / R / "logs/tables/potential_validation.log").read_text()
    assert all(f"{phase} at 1000 K FAILED" in log for phase in table[~table.passed.astype(bool)].phase)


def test_barely_trained_potentials_fail_and_stay_out_of_table1(finished):
    """The smoke config trains 200 steps: force R² far below 0.95, so every phase fails its
    validation and Table 1 refuses all its numbers, saying why."""
    validation = pd.read_csv(finished / R / "tables/potential_validation.csv", comment="#")
    assert len(validation) == 3 and not validation.passed.astype(bool).any()
    assert (validation.force_r2_min < 0.95).all() and validation.note.str.contains("force R²").all()
    table = pd.read_csv(finished / R / "tables/table1.csv", comment="#")
    assert len(table) == 3 and table[["sigma_S_cm", "E_a_eV", "D_i_cm2_s", "H_R"]].isna().all().all()
    assert table.note.str.contains("failed its dynamics validation").all()
    assert (table.potential_validation == "failed").all()


def test_conductivity_is_nernst_einstein_by_hand(finished):
    result = json.loads((finished / R / "transport/ordered_alpha/T1200.json").read_text())
    concentration = result["n_ions"] / (result["volume_A3"] * 1e-30)  # 1/m^3
    prefactor = concentration * constants.e**2 / (constants.k * 1200.0)
    by_hand = prefactor * result["D_collective_cm2_s"] * 1e-4 / 100.0  # D in m^2/s, sigma in S/cm
    assert result["sigma_S_cm"] == pytest.approx(by_hand, rel=1e-6)
    assert sum(result["directional"][a]["sigma_S_cm"] for a in "xyz") == pytest.approx(by_hand, rel=1e-6)
    assert result["n_ions"] == 12  # 1x1x2 supercell of Li6Zr3Cl18


def test_rmse_table_matches_dp_test_own_report(finished):
    table = pd.read_csv(finished / R / "tables/dp_test_rmse.csv", comment="#").set_index("phase")
    assert len(table) == 3
    for phase in table.index:
        log = (finished / R / f"logs/models/{phase}/test.log").read_text()
        force = float(re.search(r"Force\s+RMSE\s*:\s*([0-9.eE+-]+)", log).group(1))
        energy = float(re.search(r"Energy RMSE/Natoms\s*:\s*([0-9.eE+-]+)", log).group(1))
        assert table.loc[phase, "force_rmse_eV_A"] == pytest.approx(force, rel=1e-4)
        assert table.loc[phase, "energy_per_atom_rmse_eV_atom"] == pytest.approx(energy, rel=1e-4)


def test_trajectory_has_the_configured_frames(finished):
    text = (finished / R / "md/beta/T1000/seed11/traj.lammpstrj").read_text()
    timesteps = [int(t) for t in re.findall(r"ITEM: TIMESTEP\n(\d+)", text)]
    assert timesteps == list(range(0, 1001, 20))  # 1 ps production, a frame every 20 fs


def test_the_aimd_protocol_runs_on_each_phases_reference_supercell(finished):
    def atoms(path):
        return {len(frame) for frame in ase.io.read(finished / R / path, index=":")}

    unit_beta, unit_alpha = (atoms(f"structures/{phase}/unit_cell.extxyz") for phase in ("beta", "ordered_alpha"))
    assert atoms("reference/beta/aimd/T1000_x1.00.extxyz") == {2 * n for n in unit_beta}  # reference_supercell 1x1x2
    assert atoms("reference/ordered_alpha/aimd/T1000_x1.00.extxyz") == unit_alpha  # default: the unit cell


def test_changing_one_phase_temperatures_reruns_only_that_phase(finished):
    config = (finished / "config/config.yaml").read_text()
    beta_block = config.index("  beta:")
    changed = config[:beta_block] + config[beta_block:].replace(
        "md_temperatures: [1000, 1200]", "md_temperatures: [1000, 1200, 1300]", 1
    )
    (finished / "config/changed.yaml").write_text(changed)
    jobs = dry_run_jobs(["--configfile", "config/changed.yaml"], finished)
    rules = {rule for rule, _ in jobs}
    assert rules == {
        "lammps_md",
        "transport",
        "arrhenius",
        "table1",
        "table_s3_conductivity",
        "fig5_msd_arrhenius",
        "paper_vs_ionflow",
        "provenance",
        "all",
    }
    provenance = sorted(w for r, w in jobs if r == "provenance")  # both record the whole config
    assert provenance == [f"results={R}", "results=results/study_b"]
    assert [w for r, w in jobs if r == "lammps_md"] == ["phase=beta, temperature=1300, seed=11"]
    assert [w for r, w in jobs if r == "arrhenius"] == ["phase=beta"]


def test_asking_for_one_figure_rebuilds_only_that_figure(finished):
    figure = finished / R / "figures/fig5_msd_arrhenius.png"
    figure.unlink()
    jobs = dry_run_jobs([f"{R}/figures/fig5_msd_arrhenius.png"], finished)
    assert [rule for rule, _ in jobs] == ["fig5_msd_arrhenius"]
    snakemake(["--cores", "1", f"{R}/figures/fig5_msd_arrhenius.png"], finished)
    assert figure.stat().st_size > 10_000
    assert dry_run_jobs([], finished) == []


def _withheld_by_failed_validation(table, columns):
    """Every row of a table from the smoke run (whose potentials all fail) is NaN with the reason."""
    assert len(table) and (table.potential_validation == "failed").all()
    assert table[columns].isna().all().all(), "a failed potential's number entered the table"
    assert table.note.str.contains("failed its dynamics validation").all()


def test_table2_refuses_failed_potentials_and_its_inputs_add_up(finished):
    table = pd.read_csv(finished / R / "tables/table2_directional.csv", comment="#").set_index("phase")
    assert len(table) == 3
    _withheld_by_failed_validation(table, ["sigma_x_S_cm", "sigma_total_S_cm", "haven_ratio_total"])
    for phase in table.index:
        result = json.loads((finished / R / f"transport/{phase}/T1200.json").read_text())
        directional = [result["directional"][a]["sigma_S_cm"] for a in "xyz"]
        assert sum(directional) == pytest.approx(result["sigma_S_cm"], rel=1e-3)


def test_jump_length_is_eq20_and_table3_refuses_failed_potentials(finished):
    table = pd.read_csv(finished / R / "tables/table3_residence.csv", comment="#")
    assert len(table) == 3
    _withheld_by_failed_validation(table, ["tau_site_ps", "jump_length_A", "D_self_cm2_s"])
    for phase in table.phase:
        numbers = json.loads((finished / R / f"analysis/T1200/{phase}/dynamics.json").read_text())
        by_hand = np.sqrt(6 * numbers["D_self_cm2_s"] * 1e16 * numbers["tau_site_ps"] * 1e-12)  # A
        np.testing.assert_allclose(numbers["jump_length_A"], by_hand, rtol=1e-3)
        assert numbers["tau_site_ps"] == pytest.approx(2 * numbers["tau_site_plain_ps"], rel=1e-3)
        # smoke segments (25 frames) cannot hold the 25-frame residence lag: no blocks, no error, and the JSON says so
        assert numbers["blocks"] == 0 and all(np.isnan(numbers[f"{k}_se"]) for k in ("tau_site_ps", "jump_length_A"))
    assert {f"{k}_se" for k in ("tau_site_ps", "jump_length_A", "D_self_cm2_s")} <= set(table.columns)


def test_structure_tables_refuse_failed_potentials(finished):
    for name in ("rdf_first_peaks", "pmf_barriers"):
        table = pd.read_csv(finished / R / f"tables/{name}.csv", comment="#")
        assert len(table) == 3
        numbers = [c for c in table.columns if c.startswith(("first_peak_", "pmf_"))]
        assert numbers, name
        _withheld_by_failed_validation(table, numbers)
        measured = [c for c in numbers if not c.endswith(("_se", "_d_A"))]
        assert all(f"{c}_se" in table.columns for c in measured), f"{name}: a number without its standard error"


def test_paper_comparison_lists_every_paper_number(finished):
    table = pd.read_csv(finished / R / "tables/paper_vs_ionflow.csv", comment="#")
    assert len(table) == 3 * 5 + 3 * 4 + 3 * 3
    row = table[(table.quantity == "sigma_S_cm") & (table.phase == "beta")].iloc[0]
    assert row.reference == 7.66e-6 and row.unit == "S/cm" and row.source == "paper 1, Table 1"
    np.testing.assert_allclose(row.relative_difference, (row.ionflow - row.reference) / row.reference, rtol=1e-3)


def test_report_gathers_figures_and_tables(finished):
    snakemake(["--report", f"{R}/report.html"], finished)
    html = (finished / R / "report.html").read_text(errors="replace")
    for name in (
        "fig5_msd_arrhenius.png",
        "table1.csv",
        "paper_vs_ionflow.csv",
        "fig10b_rdf.png",
        "fig2_parity.png",
        "active_learning.csv",
        "fig5_csm_volume_cubic111_ideal001.png",
        "figS5_glide.png",
        "figS12_layer_populations.png",
        "figS11_snapshots_cubic111_ideal001.png",
    ):
        assert name in html


def test_every_figure_and_table_names_its_inputs(finished):
    for study in (R, "results/study_b"):
        files = sorted((finished / study / "figures").glob("*.png")) + sorted(
            (finished / study / "tables").glob("*.csv")
        )
        assert len(files) > 10
        for path in files:
            inputs = read_inputs(path)
            assert inputs, f"{path.relative_to(finished)} names no inputs"
            assert all((finished / name).exists() for name in inputs), path


def test_figs3_compares_dp_md_with_reference_md_at_both_temperatures(finished):
    for phase in ("ordered_alpha", "disordered_alpha", "beta"):
        table = pd.read_csv(finished / R / f"tables/figS3_rdf_validation_{phase}.csv", comment="#")
        assert sorted(set(table["temperature_K"])) == [300, 1000]
        assert len(table) == 2 * 6
        assert set(read_inputs(finished / R / f"figures/figS3_rdf_validation_{phase}.png")) == {
            f"{R}/reference/{phase}/aimd/T300_x1.00.extxyz",
            f"{R}/reference/{phase}/aimd/T1000_x1.00.extxyz",
            f"{R}/md_validation/{phase}/T300/seed11/traj.lammpstrj",
            f"{R}/md/{phase}/T1000/seed11/traj.lammpstrj",
        }
        zr_cl = table[(table["pair"] == "Zr-Cl") & (table["temperature_K"] == 300)]
        assert zr_cl["first_peak_reference_A"].item() == pytest.approx(2.512, abs=0.15)  # paper's Zr-Cl peak


def test_table_s2_force_rows_combine_to_dp_test_rmse(finished):
    table = pd.read_csv(finished / R / "tables/tableS2_parity.csv", comment="#")
    rmse = pd.read_csv(finished / R / "tables/dp_test_rmse.csv", comment="#").set_index("phase")
    assert len(rmse) == 3 and not table.empty
    for phase in rmse.index:
        forces = table[(table["phase"] == phase) & (table["quantity"] == "force") & (table["element"] == "all")]
        combined = np.sqrt(np.mean(forces["rmse"] ** 2))  # equal counts per direction
        assert combined == pytest.approx(rmse.loc[phase, "force_rmse_eV_A"], rel=1e-3)
        energy = table[(table["phase"] == phase) & (table["quantity"] == "energy")]
        assert energy["rmse"].item() == pytest.approx(rmse.loc[phase, "energy_per_atom_rmse_eV_atom"], rel=1e-3)


def test_table_s3_lists_every_temperature_and_refuses_failed_potentials(finished):
    table = pd.read_csv(finished / R / "tables/tableS3_conductivity.csv", comment="#")
    assert len(table) == 3 * 2
    _withheld_by_failed_validation(table, ["D_i_cm2_s", "sigma_collective_S_cm", "sigma_individual_S_cm", "H_R"])
