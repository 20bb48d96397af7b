# Dynamics validation (paper 1's Fig. S3 extended from structure to dynamics): the reference
# (teacher) and the learned DP (student) run the same cell, thermostat and length; Li
# self-diffusion, RDFs and the closest pair of both go into tables/potential_validation.csv,
# whose verdicts gate Table 1.


def validation_supercell(wildcards):
    if VALIDATION["teacher"] == "aimd":
        return reference_supercell(wildcards)
    return config["phases"][wildcards.phase]["validation_supercell"]


# Teacher = the reference driving MD on the
# validation cell (`teacher: md`), or the reference's own AIMD-protocol runs on the unit cell
# (`teacher: aimd`, for DFT references); the student runs the same cell, length and thermostat.
def validation_run(wildcards):
    """MD settings shared by the teacher and student runs (keys of the `md` block)."""
    if VALIDATION["teacher"] == "aimd":
        aimd = config["aimd"]
        run = {
            "production_ps": aimd["duration_ps"],
            "equilibration_ps": aimd["equilibration_ps"],
            "dump_every_fs": aimd["sample_every_fs"],
            "timestep_fs": aimd["timestep_fs"],
        }
    else:
        run = {
            key: VALIDATION[key]
            for key in ("production_ps", "equilibration_ps", "dump_every_fs")
        }
    return {**config["md"], **run, "seed": VALIDATION["seed"]}


rule teacher_md:
    input:
        unit_cell=rules.select_ordering.output.unit_cell,
        model=reference_model,
    output:
        f"{RESULTS_A}/validation/{{phase}}/T{{temperature}}/seed{{seed}}/teacher.extxyz",
    log:
        f"{RESULTS_A}/logs/validation/{{phase}}/T{{temperature}}/seed{{seed}}/teacher.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/validation/{{phase}}/T{{temperature}}/seed{{seed}}/teacher.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=720,
    params:
        reference=config["reference"],
        run=validation_run,
        supercell=validation_supercell,
    script:
        "../scripts/teacher_md.py"


use rule lammps_md as student_md with:
    output:
        trajectory=f"{RESULTS_A}/validation/{{phase}}/T{{temperature}}/seed{{seed}}/student.lammpstrj",
        thermo=f"{RESULTS_A}/validation/{{phase}}/T{{temperature}}/seed{{seed}}/student.log.lammps",
    log:
        f"{RESULTS_A}/logs/validation/{{phase}}/T{{temperature}}/seed{{seed}}/student.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/validation/{{phase}}/T{{temperature}}/seed{{seed}}/student.tsv"
    priority: 10  # the longest MD jobs first, the short production runs fill the cores at the end
    params:
        md=validation_run,
        chunks=f"{RESULTS_A}/validation/{{phase}}/T{{temperature}}/seed{{seed}}/student_chunks",
        supercell=validation_supercell,
        type_map=TYPE_MAP,


def validation_teacher(wildcards):
    if VALIDATION["teacher"] == "aimd":
        return f"{RESULTS_A}/reference/{wildcards.phase}/aimd/T{wildcards.temperature}_x1.00.extxyz"
    return rules.teacher_md.output[0]


def validation_student(wildcards):
    """The student's run: the production run itself where it has the validation cell, length,
    seed and temperature (no second MD), else a run of rule student_md."""
    phase, temperature = config["phases"][wildcards.phase], int(wildcards.temperature)
    run, md = validation_run(wildcards), config["md"]
    production = (
        VALIDATION["teacher"] == "md"
        and temperature in phase["md_temperatures"]
        and phase["validation_supercell"] == phase["supercell"]
        and VALIDATION["seed"] in md["seeds"]
        and all(
            run[k] == md[k]
            for k in ("production_ps", "equilibration_ps", "dump_every_fs")
        )
    )
    if production:
        return f"{RESULTS_A}/md/{wildcards.phase}/T{temperature}/seed{VALIDATION['seed']}/traj.lammpstrj"
    return rules.student_md.output.trajectory


def validation_dt_ps(wildcards):
    return validation_run(wildcards)["dump_every_fs"] / 1000.0


rule ensemble_energies:
    input:
        teacher=validation_teacher,
        student=validation_student,
        model=md_model,
        reference_model=reference_model,
    output:
        f"{RESULTS_A}/validation/{{phase}}/T{{temperature}}/seed{{seed}}/ensemble_energies.npz",
    log:
        f"{RESULTS_A}/logs/validation/{{phase}}/T{{temperature}}/seed{{seed}}/ensemble_energies.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/validation/{{phase}}/T{{temperature}}/seed{{seed}}/ensemble_energies.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=120,
    params:
        frames=ENSEMBLE_FRAMES,
        reference=config["reference"],
        type_map=TYPE_MAP,
    script:
        "../scripts/ensemble_energies.py"


def validation_ensemble(wildcards):
    """The ensemble-gap energies where validation.ensemble_frames asks for them."""
    if ENSEMBLE_FRAMES:
        return {"ensemble": rules.ensemble_energies.output[0]}
    return {}


rule validate_potential:
    input:
        unpack(validation_ensemble),
        teacher=validation_teacher,
        student=validation_student,
        parity=rules.test_deepmd.output.parity,
    output:
        row=f"{RESULTS_A}/validation/{{phase}}/T{{temperature}}/seed{{seed}}/verdict.json",
        curves=f"{RESULTS_A}/validation/{{phase}}/T{{temperature}}/seed{{seed}}/curves.npz",
    log:
        f"{RESULTS_A}/logs/validation/{{phase}}/T{{temperature}}/seed{{seed}}/verdict.log",
    benchmark:
        f"{RESULTS_A}/benchmarks/validation/{{phase}}/T{{temperature}}/seed{{seed}}/verdict.tsv"
    conda:
        "../envs/ionflow.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
    params:
        validation=VALIDATION,
        dt_ps=validation_dt_ps,
        type_map=TYPE_MAP,
        min_distance_A=config["md"]["min_distance_A"],
        mobile=config["transport"]["species"],
    script:
        "../scripts/validate_potential.py"


def validation_outputs(name):
    return expand(
        f"{RESULTS_A}/validation/{{phase}}/T{{temperature}}/seed{VALIDATION['seed']}/{name}",
        phase=PHASES,
        temperature=VALIDATION["temperatures_K"],
    )


def validation_figures():
    return expand(
        f"{RESULTS_A}/figures/figS3d_potential_validation_{{phase}}_T{{temperature}}.png",
        phase=PHASES,
        temperature=VALIDATION["temperatures_K"],
    )


rule potential_validation_table:
    input:
        rows=validation_outputs("verdict.json"),
        curves=validation_outputs("curves.npz"),
    output:
        table=report(
            f"{RESULTS_A}/tables/potential_validation.csv",
            caption="../report/potential_validation.rst",
            category="Deep Potential",
        ),
        figures=validation_figures(),
    log:
        f"{RESULTS_A}/logs/tables/potential_validation.log",
    conda:
        "../envs/ionflow.yaml"
    script:
        "../scripts/potential_validation_table.py"
