# ionflow: Study A (Li2ZrCl6: reference labels -> DeePMD -> LAMMPS MD -> transport tables) and
# Study B (ZrO2/Li2ZrCl6: NEP committee by active learning -> interface MD -> analyses).
# The embedded default config runs both on a laptop; config/study_{a,b}.yaml are the papers.
from snakemake.utils import min_version

min_version("9.0")


if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


include: "rules/common.smk"


if "study_a" in STUDIES:

    include: "rules/structures.smk"
    include: "rules/reference.smk"
    include: "rules/deepmd.smk"
    include: "rules/md.smk"
    include: "rules/validation.smk"
    include: "rules/transport.smk"
    include: "rules/analysis.smk"


if "study_b" in STUDIES:

    include: "rules/bulk_b.smk"
    include: "rules/initial_set.smk"
    include: "rules/active_learning.smk"
    include: "rules/nep_validation.smk"
    include: "rules/interfaces.smk"
    include: "rules/validation_b.smk"
    include: "rules/structure_b.smk"


include: "rules/provenance.smk"


rule all:
    default_target: True
    input:
        final_targets(),
