# Dynamics validation (paper 1's Fig. S3 extended from structure to dynamics): the reference
# (teacher) and the learned DP (student) run the same cell, thermostat and length; Li
# self-diffusion, RDFs and the closest pair of both go into tables/potential_validation.csv,
# whose verdicts gate Table 1.


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


rule validate_potential:
    input:
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
