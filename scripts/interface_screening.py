"""Snakemake adapter: production-limit screening (LZC film on ZrO2 substrate) of every pair of the
paper's four interfaces; each paper system gets a row saying found / not found."""

from pymatgen.io.ase import AseAtomsAdaptor

from ionflow.io import read_frames, write_csv
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.studies.study_b import screen_paper_systems

with log_to(snakemake.log[0]):
    bulk = {
        name: AseAtomsAdaptor.get_structure(read_frames(path)[0])
        for name, path in zip(snakemake.params.names, snakemake.input)
    }
    write_csv(screen_paper_systems(bulk, snakemake.params.interfaces), snakemake.output[0])

name_inputs(snakemake.output, snakemake.input)
