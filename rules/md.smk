# Production MD: LAMMPS with the DeePMD plugin, NVT Nose-Hoover, one job per (phase, T, seed).
# The run goes in chunks (md.chunk_ps) through params.chunks, a work folder that is not an
# output: a job killed at its walltime keeps its finished chunks and the rerun resumes there.


def md_model(wildcards):
    name = "model_compressed.pb" if config["deepmd"]["compress"] else "model.pb"
    return f"{RESULTS_A}/models/{wildcards.phase}/{name}"


rule lammps_md:
    input:
        model=md_model,
        unit_cell=rules.select_ordering.output.unit_cell,
    output:
        trajectory=f"{RESULTS_A}/md/{{phase}}/T{{temperature}}/seed{{seed}}/traj.lammpstrj",
        thermo=f"{RESULTS_A}/md/{{phase}}/T{{temperature}}/seed{{seed}}/log.lammps",
    log:
        f"{RESULTS_A}/logs/md/{{phase}}/T{{temperature}}/seed{{seed}}.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/md/{{phase}}/T{{temperature}}/seed{{seed}}.tsv"
    conda:
        "../envs/deepmd.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=2880,
    params:
        md=config["md"],
        chunks=f"{RESULTS_A}/md/{{phase}}/T{{temperature}}/seed{{seed}}/chunks",
        supercell=phase_param("supercell"),
        type_map=TYPE_MAP,
    script:
        "../scripts/lammps_md.py"


def validation_md_settings(wildcards):
    """Fig. S3's extra DP-MD runs: the MD settings with the validation run length."""
    length = ANALYSIS["rdf_validation_ps"]
    return {**config["md"], "production_ps": length, "chunk_ps": length}


# Fig. S3's short DP runs at a temperature without a production or validation run
use rule lammps_md as validation_md with:
    output:
        trajectory=f"{RESULTS_A}/md_validation/{{phase}}/T{{temperature}}/seed{{seed}}/traj.lammpstrj",
        thermo=f"{RESULTS_A}/md_validation/{{phase}}/T{{temperature}}/seed{{seed}}/log.lammps",
    log:
        f"{RESULTS_A}/logs/md_validation/{{phase}}/T{{temperature}}/seed{{seed}}.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/md_validation/{{phase}}/T{{temperature}}/seed{{seed}}.tsv"
    resources:
        mem_mb=4000,
        runtime=720,
    params:
        md=validation_md_settings,
        chunks=f"{RESULTS_A}/md_validation/{{phase}}/T{{temperature}}/seed{{seed}}/chunks",
        supercell=phase_param("supercell"),
        type_map=TYPE_MAP,
