"""Study B of the embedded default end to end: two real active-learning iterations (4 neppo
models, CPUNEP exploration, committee selection, NEP89 labels), validation, interfaces, MD and
interface analyses. The run is the session fixture ``embedded_run`` (conftest.py)."""

import json

import numpy as np
import pandas as pd
import pytest
from ase.data import covalent_radii
from ase.io import read
from calorine.calculators import CPUNEP
from calorine.gpumd import read_thermo

from tests.workflow.helpers import dry_run_jobs

pytestmark = pytest.mark.workflow
RB = "results/study_b"


@pytest.fixture(scope="module")
def finished(embedded_run):
    return embedded_run


def test_two_iterations_with_four_neppo_models(finished):
    table = pd.read_csv(finished / RB / "tables/active_learning.csv", comment="#")
    assert list(table.iteration) == [0, 1]
    assert set(table.trainer) == {"neppo"}
    for it in (0, 1):
        for k in range(1, 5):
            trainer = json.loads((finished / RB / f"al/iter{it}/committee/model{k}/trainer.json").read_text())
            assert trainer["trainer"] == "neppo"
    assert table.train_frames[1] > table.train_frames[0]  # iteration 1 learned from iteration 0's labels
    model = json.loads((finished / RB / "model/model.json").read_text())
    assert model["iteration"] == 2 and model["trainer"] == "neppo"


def _close_contact(frame, factor):
    """Independent of ionflow: every minimum-image pair distance vs factor (R_i + R_j)."""
    fractional = frame.get_scaled_positions()
    delta = fractional[:, None] - fractional[None]
    delta -= np.round(delta)
    distance = np.linalg.norm(delta @ frame.cell.array, axis=2)
    radii = covalent_radii[frame.numbers]
    limit = factor * (radii[:, None] + radii[None])
    np.fill_diagonal(distance, np.inf)
    return bool((distance < limit).any())


@pytest.mark.parametrize("it", [0, 1])
def test_selection_is_above_threshold_after_distance_filter_by_fps(finished, it):
    table = pd.read_csv(finished / RB / f"al/iter{it}/deviation.csv")
    selection = json.loads((finished / RB / f"al/iter{it}/selection.json").read_text())
    assert not table.empty
    frames = []
    for (system, condition), rows in table.groupby(["system", "condition"], sort=False):
        dump = read(finished / RB / f"al/iter{it}/explore/{system}/{condition}/dump.xyz", ":")
        frames += [dump[n] for n in rows.frame]
    close = np.array([_close_contact(f, 0.7) for f in frames])
    assert (close == table.close_contact.to_numpy()).all()
    candidates = np.flatnonzero((table.deviation_eV_A > 0.3).to_numpy() & ~close)
    assert table.candidate.to_numpy().nonzero()[0].tolist() == candidates.tolist()
    selected = selection["selected_frames"]
    assert table.selected.to_numpy().nonzero()[0].tolist() == sorted(selected)
    if not selection["converged"]:
        assert len(selected) == min(8, len(candidates)) and set(selected) <= set(candidates)
        assert selected[0] == candidates[np.argmax(table.deviation_eV_A.to_numpy()[candidates])]
    labelled = read(finished / RB / f"labels/iter{it}.extxyz", ":")
    failures = pd.read_csv(finished / RB / f"labels/iter{it}_failures.csv")
    assert len(labelled) + len(failures) == len(selected)


def test_final_model_reproduces_trainer_energies_in_cpunep(finished):
    member = finished / RB / "al/iter2/committee/full"
    predicted = np.loadtxt(member / "energy_train.out")[:, 0]
    calculator = CPUNEP(str(finished / RB / "model/nep.txt"))
    ours = []
    for frame in read(member / "train.xyz", ":"):
        frame.calc = calculator
        ours.append(frame.get_potential_energy() / len(frame))
    assert np.abs(np.array(ours) - predicted).max() < 1e-5


def test_raising_max_iterations_reruns_nothing_done(finished):
    """Extending a finished loop: raise max_iterations and force the final-model copy, whose
    checkpoint-dependent input Snakemake does not re-evaluate while its output is up to date."""
    config = (finished / "config/config.yaml").read_text().replace("    max_iterations: 2\n", "    max_iterations: 3\n")
    (finished / "config/extended.yaml").write_text(config)
    jobs = dry_run_jobs(["--forcerun", "final_model_b", "--configfile", "config/extended.yaml"], finished)
    iterations = {w.split("it=")[1].split(",")[0] for _, w in jobs if "it=" in w}
    assert iterations == {"2"}  # up to the next checkpoint: iteration 2 only
    rules = {rule for rule, _ in jobs}
    assert {"train_nep", "explore_b", "select_b", "final_model_b"} <= rules
    assert not rules & {
        "relax_bulk",
        "interface_pool",
        "sample_initial_b",
        "select_initial_b",
        "committee_inputs",
        "label_b",
        "dataset_b",
    }


def test_exploration_files_are_gpumd_format(finished):
    run = finished / RB / "al/iter0/explore/lzc_alpha/npt_T900_P1000"
    thermo = read_thermo(str(run / "thermo.out"))
    frames = read(run / "dump.xyz", ":")
    # thermo and frames share the interval; a run the young model broke stops at its last good frame
    assert len(frames) >= 1 and len(thermo) >= len(frames)
    assert np.allclose(thermo.cell_xx.iloc[len(frames) - 1], frames[-1].cell[0, 0])
    assert "ensemble npt_scr 900 900 100 0.1 0.1 0.1" in (run / "run.in").read_text()


def test_interface_outputs_and_paper_table(finished):
    for name in ("fig3_coordination", "fig3_density", "fig4_hops", "fig4_displacements", "fig5_csm_volume"):
        assert (finished / RB / f"figures/{name}_cubic111_ideal001.png").stat().st_size > 10_000
    interface = read(finished / RB / "interfaces/cubic111_ideal001.extxyz")
    assert {"Li", "Zr", "Cl", "O"} == set(interface.get_chemical_symbols())
    terminations = pd.read_csv(finished / RB / "interfaces/cubic111_ideal001_terminations.csv")
    assert len(terminations) >= 2 and terminations.gamma_J_m2.is_monotonic_increasing  # InterOptimus's pairs
    assert interface.info["gamma_J_m2"] == pytest.approx(terminations.gamma_J_m2.iloc[0])
    assert interface.info["substrate_termination"] == terminations.substrate_termination.iloc[0]
    for temperature in (400,):  # embedded: the analysis temperature only
        assert (finished / RB / f"md/cubic111_ideal001/T{temperature}/dump.xyz").stat().st_size > 0
    table = pd.read_csv(finished / RB / "tables/paper_vs_ionflow.csv", comment="#")
    assert len(table) == 3 + 1 + 4 + 4 + 2  # ... + β glide, α Li rich : poor
    glide = table[table.quantity == "interlayer_glide_A"]
    assert np.isnan(glide.ionflow.item())  # glide.json: a 0.4-ps run cannot show the glide (glide.min_ps)
    assert np.isnan(json.loads((finished / RB / "tables/glide.json").read_text())["final_mean_glide_A"])
    screening = pd.read_csv(finished / RB / "tables/interface_screening.csv", comment="#")
    paper = {"cubic111_ideal001", "tetragonal101_ideal101", "cubic221_alpha001", "monoclinic010_alpha201"}
    status = screening.dropna(subset=["status"])
    assert set(status.paper_system) == paper
    assert set(status[status.status == "found"].paper_system) == paper  # InterOptimus's conventions, some lattice
    relaxed = status[status.lattice == "relaxed"].set_index("paper_system")
    assert relaxed.loc["monoclinic010_alpha201", "status"] == "not found"  # needs a DFT-like alpha lattice
    assert (
        relaxed.loc["tetragonal101_ideal101", "max_length_strain"]
        > 0.01
        > relaxed.loc["tetragonal101_ideal101", "von_mises_strain"]
    )


def test_provenance_names_study_b_methods(finished):
    record = json.loads((finished / RB / "provenance.json").read_text())
    assert record["study"] == "study_b"
    assert (record["trainer"], record["exploration_engine"], record["md_engine"]) == ("neppo", "cpunep", "cpunep")
    assert record["reference_backend"] == "nep89" and record["packages"]["neppo"] == "1.0"


def test_structure_figures_count_every_li(finished):
    """Figs. S5, S7, S8, S11-S14 are drawn; the Li of each table add up to the Li of the run (ASE count)."""
    for name in (
        "figS5_glide",
        "figS7_bulk_rdf",
        "figS12_layer_populations",
        "figS13_csm_reference",
        "figS14_bulk_csm_volume",
        "figS11_snapshots_cubic111_ideal001",
        "figS8_plane_counts_cubic111_ideal001",
    ):
        assert (finished / RB / f"figures/{name}.png").stat().st_size > 10_000, name
    layers = pd.read_csv(finished / RB / "tables/layer_populations.csv", comment="#")
    for phase, rows in layers.groupby("phase"):
        last = read(finished / RB / f"md/{phase}/T900/dump.xyz", index=-1)
        assert rows.li_mean.sum() == pytest.approx(last.get_chemical_symbols().count("Li"))
    planes = pd.read_csv(finished / RB / "tables/li_planes_cubic111_ideal001.csv", comment="#")
    first = read(finished / RB / "md/cubic111_ideal001/T400/dump.xyz", index=0)
    assert planes.li_first_frame.sum() == first.get_chemical_symbols().count("Li")
    glide = json.loads((finished / RB / "tables/glide.json").read_text())
    beta = read(finished / RB / "md/lzc_beta/T300/dump.xyz", index=0)
    zr_heights = np.sort(beta.get_scaled_positions()[beta.numbers == 40, 2])
    gaps = (
        np.diff(np.append(zr_heights, zr_heights[0] + 1.0))
        * beta.cell.volume
        / np.linalg.norm(np.cross(beta.cell[0], beta.cell[1]))
    )
    assert glide["n_layers"] == np.count_nonzero(gaps > 1.0)  # Zr planes more than 1 Å apart
    assert np.isnan(glide["final_mean_glide_A"]) and glide["final_glide_per_pair_A"] == []  # shorter than min_ps
    assert f"a {glide['time_ps']:.2f}-ps run cannot show the glide" in glide["note"]
