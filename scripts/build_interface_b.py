"""Snakemake adapter: build one production interface (lowest strain, then smallest area, of the
paper's orientation within the production limits) at the configured size."""

from pymatgen.io.ase import AseAtomsAdaptor

from ionflow.io import read_frames, write_frames
from ionflow.logs import log_to
from ionflow.structures.interfaces.build import build_interface, in_plane_repeat_for_atoms
from ionflow.structures.interfaces.screening import max_miller_index, screen_interfaces, with_orientation

with log_to(snakemake.log[0]) as log:
    spec, settings = snakemake.params.spec, snakemake.params.interfaces
    zro2, lzc = (
        AseAtomsAdaptor.get_structure(read_frames(path)[0]) for path in (snakemake.input.zro2, snakemake.input.lzc)
    )
    # LZC film strained onto the ZrO2 substrate (docs/interface_screening.md)
    screened = screen_interfaces(
        lzc,
        zro2,
        max_miller_index(spec["zro2_miller"], spec["lzc_miller"]),
        settings["max_area_A2"],
        settings["max_strain"],
        film_name=spec["lzc"],
        substrate_name=spec["zro2"],
    )
    candidates = with_orientation(screened, spec["lzc_miller"], spec["zro2_miller"])
    if not candidates:
        raise RuntimeError(
            f"{snakemake.output[0]}: no {spec['zro2']} {spec['zro2_miller']} / {spec['lzc']} "
            f"{spec['lzc_miller']} match within strain {settings['max_strain']} and area "
            f"{settings['max_area_A2']} A^2 (see tables/interface_screening.csv); loosen "
            "study_b.interfaces limits or drop it from study_b.interfaces.build"
        )
    candidate = candidates[0]
    cell = build_interface(candidate, settings["lzc_thickness_A"], settings["zro2_thickness_A"], settings["gap_A"])
    repeat = in_plane_repeat_for_atoms(cell, settings["target_atoms"])
    atoms = build_interface(
        candidate, settings["lzc_thickness_A"], settings["zro2_thickness_A"], settings["gap_A"], in_plane_repeat=repeat
    )
    atoms.info.update(system=snakemake.wildcards.interface)
    log.info(
        "%s: strain %.4f, area %.1f A^2, repeat %s, %d atoms (%s / %s)",
        snakemake.wildcards.interface,
        candidate.max_length_strain,
        candidate.area_A2,
        repeat,
        len(atoms),
        atoms.info["film_formula"],
        atoms.info["substrate_formula"],
    )
    write_frames([atoms], snakemake.output[0])
