"""Dry runs of the shipped configs and start-up errors, as a user sees them."""

import time

import pytest
import yaml

from tests.workflow.helpers import copy_workflow, dry_run_jobs, job_counts, snakemake


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return copy_workflow(tmp_path_factory.mktemp("dag"))


def test_study_a_dag_has_the_paper_job_counts(workdir):
    start = time.perf_counter()
    counts = job_counts(dry_run_jobs(["--configfile", "config/study_a.yaml"], workdir))
    elapsed = time.perf_counter() - start
    assert counts["lammps_md"] == 3 * 6 * 5  # phases x temperatures x seeds
    assert counts["train_deepmd"] == 3
    assert counts["aimd"] == 3 * 7 * 7 + 3  # phases x temperatures x (1 + 6 rescaled cells), + 950 K to validate
    assert counts["transport"] == 3 * 6
    # dynamics validation against the AIMD runs at the paper's 300 and 950 K (Fig. S3)
    assert counts["student_md"] == counts["validate_potential"] == 3 * 2 and "teacher_md" not in counts
    assert counts["ensemble_energies"] == 3 * 2  # the reference labels frames of each student run
    assert counts["potential_validation_table"] == 1
    assert counts["table1"] == 1
    assert counts["validation_md"] == 3  # Fig. S3 at 300 K; 1000 K is a production temperature
    assert counts["figS3_rdf_validation"] == 3
    print(f"study_a DAG: {sum(counts.values())} jobs, dry run {elapsed:.1f} s")


def test_smoke_dag(workdir):
    counts = job_counts(dry_run_jobs([], workdir))
    assert counts["lammps_md"] == 3 * 2 * 1
    assert counts["aimd"] == 3 * 3 * 3
    assert counts["validation_md"] == 3  # Fig. S3 at 300 K; 1000 K reuses the production run
    assert counts["teacher_md"] == counts["student_md"] == 3  # 0.4-ps validation runs, not the 1-ps production
    assert counts["train_nep"] == 4  # Study B's first committee, up to its checkpoint
    assert counts["explore_b"] == 2 * 3  # systems x conditions


def test_published_numbers_come_from_config_and_are_optional(workdir):
    """paper_vs_ionflow (both studies) runs when `reference_values` names a file, not otherwise."""
    counts = job_counts(dry_run_jobs([], workdir))
    assert counts["paper_vs_ionflow"] == counts["paper_vs_ionflow_b"] == 1
    config = yaml.safe_load((workdir / "config/config.yaml").read_text())
    del config["reference_values"], config["study_b"]["reference_values"]
    (workdir / "config/no_reference.yaml").write_text(yaml.safe_dump(config))
    counts = job_counts(dry_run_jobs(["--configfile", "config/no_reference.yaml"], workdir))
    assert "paper_vs_ionflow" not in counts and "paper_vs_ionflow_b" not in counts and counts["table1"] == 1


def test_embedded_default_dag_validates_on_432_atom_cells(workdir):
    """The embedded default (make run): three temperatures per phase for a real Arrhenius fit and a
    teacher-vs-student validation at 1000 K on cells of ≥ 400 atoms."""
    output = snakemake(["-n", "-p", "--configfile", "config/embedded.yaml"], workdir).stdout
    counts = job_counts(dry_run_jobs(["--configfile", "config/embedded.yaml"], workdir))
    assert counts["lammps_md"] == 3 * 3 and counts["transport"] == 3 * 3
    assert counts["teacher_md"] == counts["student_md"] == counts["validate_potential"] == 3
    assert counts["ensemble_energies"] == 3
    assert "results/study_a/validation/beta/T1000/seed11/teacher.extxyz" in output


def test_study_b_dag_first_iteration_on_gpus(workdir):
    """The paper's loop up to its first checkpoint, with nep training and GPUMD MD as GPU jobs."""
    output = snakemake(
        [
            "-n",
            "--profile",
            "profiles/slurm",
            "--software-deployment-method",
            "env-modules",
            "--configfile",
            "config/study_b.yaml",
        ],
        workdir,
    ).stdout
    counts = job_counts(dry_run_jobs(["--configfile", "config/study_b.yaml"], workdir))
    assert counts["relax_bulk"] == 8
    assert counts["sample_initial_b"] == 7 + 10  # training bulk phases + pool seeds
    assert counts["train_nep"] == 4 and counts["select_b"] == 1
    assert counts["explore_b"] == 17 * (7 + 4 * 3)  # systems x (NVT + NPT conditions)
    assert counts["production_md_b"] == 4 * 3 + 3 * 6 + 1  # interfaces x T + bulk phases x T + β glide at 300 K
    assert counts["build_interface_b"] == counts["interface_analysis_b"] == counts["interface_snapshots_b"] == 4
    assert counts["glide_b"] == counts["bulk_structure_b"] == counts["csm_reference_b"] == 1
    blocks = output.split("\nrule ")
    for rule in ("train_nep", "explore_b", "production_md_b"):
        resources = [b for b in blocks if b.startswith(rule + ":")]
        assert resources and all("slurm_partition=gpu" in b and "gpu=1" in b for b in resources), rule
    relax = [b for b in blocks if b.startswith("relax_bulk:")]
    assert relax and all("slurm_partition=cpu" in b and "gpu=" not in b for b in relax)


@pytest.mark.parametrize(
    "target",
    [
        "tables/arrhenius_b.csv",
        "tables/glide.json",
        "tables/layer_populations.csv",
        "tables/li_planes_cubic111_ideal001.csv",
        "analysis/cubic111_ideal001/interface_analysis.npz",
    ],
)
def test_study_b_tables_read_the_validation_of_the_learned_nep(workdir, target):
    """MD with the learned NEP (md.potential: final): every table and figure made from it waits for
    the potential validation, which withholds what it does not support; MD with the reference
    model (the smoke default) needs none."""
    learned = job_counts(dry_run_jobs([f"results/study_b/{target}", "--configfile", "config/study_b.yaml"], workdir))
    assert learned["potential_validation_b"] == 1
    reference = job_counts(dry_run_jobs([f"results/study_b/{target}"], workdir))
    assert "potential_validation_b" not in reference


def _write(workdir, name, text):
    path = workdir / "config" / name
    path.write_text(text)
    return f"config/{name}"


def _start_up_error(workdir, configfile):
    result = snakemake(["-n", "--configfile", configfile], workdir, check=False)
    assert result.returncode != 0
    return result.stdout + result.stderr


def test_malformed_config_names_file_and_key(workdir):
    """Well-formed YAML of the wrong shape (a YAML syntax error is Snakemake's own message,
    before the workflow starts; ``ionflow.config.load_yaml`` names file and line for those)."""
    text = (
        (workdir / "config/config.yaml")
        .read_text()
        .replace("  rescale_factors: [0.95, 1.05]", "  rescale_factors: 0.95, 1.05")
    )
    output = _start_up_error(workdir, _write(workdir, "broken.yaml", text))
    assert "config/broken.yaml: key 'aimd.rescale_factors': '0.95, 1.05' is not of type 'array'" in output


def test_missing_structure_file_names_key(workdir):
    text = (
        (workdir / "config/config.yaml")
        .read_text()
        .replace(
            "config/structures/beta_Li2ZrCl6_C2m_avg_partialocc_RECONSTRUCTED.cif", "config/structures/missing.cif"
        )
    )
    output = _start_up_error(workdir, _write(workdir, "missing_cif.yaml", text))
    assert (
        "config/missing_cif.yaml: key 'phases.beta.cif': structure file config/structures/missing.cif not found"
    ) in output


def test_unknown_phase_name_is_reported(workdir):
    text = (
        (workdir / "config/config.yaml")
        .read_text()
        .replace("phase_order: [ordered_alpha, disordered_alpha, beta]", "phase_order: [ordered_alpha, gamma, beta]")
    )
    output = _start_up_error(workdir, _write(workdir, "unknown_phase.yaml", text))
    assert "config/unknown_phase.yaml: key 'phase_order': unknown phase gamma" in output


def test_unknown_key_is_reported(workdir):
    text = (workdir / "config/config.yaml").read_text().replace("\nmd:\n", "\nmd:\n  thermostat: berendsen\n")
    output = _start_up_error(workdir, _write(workdir, "unknown_key.yaml", text))
    assert "config/unknown_key.yaml: key 'md': unknown key 'thermostat'" in output


# Snakemake's linter asks for every function in one common file; this workflow's layout puts an
# input function beside the rules that use it (CONTRIBUTING.md), so that one finding is expected.
EXPECTED_LINT = "Mixed rules and functions in same snakefile."


def test_lint_has_no_findings_but_the_layouts_own(workdir):
    result = snakemake(["--lint"], workdir, check=False)
    output = result.stdout + result.stderr
    findings = [line.strip().lstrip("* ").rstrip(":") for line in output.splitlines() if line.strip().startswith("* ")]
    assert "Traceback" not in output and "Error" not in output, output
    assert set(findings) <= {EXPECTED_LINT}, output
    assert not any(line.startswith("Lints for") and line.endswith("common.smk:") for line in output.splitlines())


def test_snakefmt_check_passes():
    import subprocess
    import sys
    from pathlib import Path

    from tests.workflow.helpers import ROOT

    snakefmt = Path(sys.executable).parent / "snakefmt"
    result = subprocess.run([str(snakefmt), "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]], ids=["ruff-check", "ruff-format"])
def test_ruff_passes(command):
    """Lint (pyflakes, pycodestyle, import order) and formatting as configured in pyproject.toml."""
    import subprocess
    import sys
    from pathlib import Path

    from tests.workflow.helpers import ROOT

    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
