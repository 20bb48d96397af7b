# ionflow: Study A (Li2ZrCl6) from reference labels to DeePMD, LAMMPS MD and transport tables.
# The embedded default config runs on a laptop; config/study_a.yaml is the paper at full scale.
from snakemake.utils import min_version

min_version("9.0")


if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


include: "rules/common.smk"
include: "rules/structures.smk"
include: "rules/reference.smk"
include: "rules/deepmd.smk"
include: "rules/md.smk"
include: "rules/transport.smk"
include: "rules/analysis.smk"


rule all:
    default_target: True
    input:
        final_targets(),
