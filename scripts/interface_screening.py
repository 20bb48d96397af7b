"""Snakemake adapter: production-limit screening (LZC film on ZrO2 substrate) of every ZrO2/LZC
pair of the paper's four interfaces; each candidate of a paper orientation is marked, and each paper system gets a row
saying found / not found."""

import csv

from pymatgen.io.ase import AseAtomsAdaptor

from ionflow.io import atomic_path, read_frames
from ionflow.logs import log_to
from ionflow.provenance import name_inputs
from ionflow.structures.interfaces.screening import max_miller_index, miller_label, screen_interfaces, with_orientation

with log_to(snakemake.log[0]) as log:
    settings = snakemake.params.interfaces
    bulk = {
        name: AseAtomsAdaptor.get_structure(read_frames(path)[0])
        for name, path in zip(snakemake.params.names, snakemake.input)
    }
    systems = settings["systems"]
    max_miller = max_miller_index(*(spec[key] for spec in systems.values() for key in ("zro2_miller", "lzc_miller")))
    screened, records = {}, {}
    for zro2, lzc in sorted({(spec["zro2"], spec["lzc"]) for spec in systems.values()}):
        screened[zro2, lzc] = screen_interfaces(
            bulk[lzc],
            bulk[zro2],
            max_miller,
            settings["max_area_A2"],
            settings["max_strain"],
            film_name=lzc,
            substrate_name=zro2,
        )
        log.info(
            "%s/%s: %d candidates within strain %.3f and area %g A^2",
            zro2,
            lzc,
            len(screened[zro2, lzc]),
            settings["max_strain"],
            settings["max_area_A2"],
        )
        records.update((id(c), c.record()) for c in screened[zro2, lzc])
    rows = list(records.values())
    for name, spec in systems.items():
        film, substrate = miller_label(spec["lzc_miller"]), miller_label(spec["zro2_miller"])
        matches = [
            records[id(c)]
            for c in with_orientation(screened[spec["zro2"], spec["lzc"]], spec["lzc_miller"], spec["zro2_miller"])
        ]
        for row in matches:
            row["paper_system"] = name
        best = matches[0] if matches else None  # screening order: lowest strain, then smallest area
        log.info(
            "paper system %s: %s",
            name,
            f"found, strain {best['max_length_strain']}, area {best['area_A2']}"
            if best
            else "NOT found within the limits",
        )
        rows.append(
            {
                "film": spec["lzc"],
                "substrate": spec["zro2"],
                "film_miller": film,
                "substrate_miller": substrate,
                "paper_system": name,
                "status": "found" if best else "not found",
                "max_length_strain": best["max_length_strain"] if best else "",
                "area_A2": best["area_A2"] if best else "",
            }
        )
    fields = list(dict.fromkeys(key for row in rows for key in row))
    with atomic_path(snakemake.output[0]) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)

name_inputs(snakemake.output, snakemake.input)
