"""VASP as the reference (both papers): inputs with exactly the papers' settings, results parsed.

Settings from the papers' methods sections (paper 1 §2.2, paper 2 "Computational details"); keys the
papers do not state are marked "ours" and kept to standard PAW practice.

- Study A (VASP 5.4.4, PBE + D3(BJ)): relaxations ENCUT 600 eV, forces < 0.001 eV/Å, full cell;
  AIMD ENCUT 450 eV; k-mesh 2×2×4 (α) and 4×2×4 (β) for both.
- Study B (VASP 6.4.2, PBE + D3(BJ)): ENCUT 550 eV, KSPACING 0.3 Å⁻¹, EDIFF 1e-6 eV,
  EDIFFG −0.01 eV/Å.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
from ase.calculators.calculator import Calculator, all_changes
from ase.io import read, write

from ionflow.reference.errors import ReferenceFailure

# PBE (GGA = PE) and DFT-D3 with Becke–Johnson damping (IVDW = 12) in every preset.
COMMON = {
    "GGA": "PE",
    "IVDW": 12,
    "PREC": "Accurate",
    "LREAL": ".FALSE.",  # PREC, LREAL: ours
    "ISMEAR": 0,
    "SIGMA": 0.05,
    "LWAVE": ".FALSE.",
    "LCHARG": ".FALSE.",
}  # ours
SINGLE_POINT = {"IBRION": -1, "NSW": 0, "NELM": 200}  # NELM: ours
RELAX = {"IBRION": 2, "ISIF": 3, "NSW": 500, "NELM": 200}  # full cell relax; NSW, NELM: ours
PRESETS = {
    "study_a_relax": {**COMMON, **RELAX, "ENCUT": 600, "EDIFF": 1e-6, "EDIFFG": -0.001},  # EDIFF ours
    "study_a_aimd": {**COMMON, **SINGLE_POINT, "ENCUT": 450, "EDIFF": 1e-6},  # AIMD settings, one frame
    "study_b_static": {**COMMON, **SINGLE_POINT, "ENCUT": 550, "KSPACING": 0.3, "KGAMMA": ".TRUE.", "EDIFF": 1e-6},
    "study_b_relax": {
        **COMMON,
        **RELAX,
        "ENCUT": 550,
        "KSPACING": 0.3,
        "KGAMMA": ".TRUE.",
        "EDIFF": 1e-6,
        "EDIFFG": -0.01,
    },
}
# Study A's k-meshes by phase family (Γ-centred: ours).
STUDY_A_KPOINTS = {"alpha": [2, 2, 4], "beta": [4, 2, 4]}
INSTALL_HINT = (
    "set reference.command (or the VASP_COMMAND environment variable) to how VASP "
    "runs on this machine, e.g. 'srun vasp_std'"
)


def aimd_incar(temperature_K: float, steps: int, timestep_fs: float = 1.0) -> dict:
    """INCAR of Study A's NVT AIMD run (Nosé–Hoover, MDALGO = 2) at ENCUT 450 eV."""
    return {
        **COMMON,
        "ENCUT": 450,
        "EDIFF": 1e-6,
        "IBRION": 0,
        "ISIF": 2,
        "MDALGO": 2,
        "SMASS": 0,
        "POTIM": timestep_fs,
        "TEBEG": temperature_K,
        "TEEND": temperature_K,
        "NSW": int(steps),
        "ISYM": 0,
        "NELM": 200,
    }


def format_incar(incar: dict) -> str:
    lines = []
    for key, value in incar.items():
        text = f"{value:g}" if isinstance(value, float) else str(value)
        lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"


def parse_incar(text: str) -> dict:
    """INCAR text → {key: value} with numbers converted (for checks and tests)."""
    values = {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        value = value.split("#")[0].strip()
        try:
            values[key.strip()] = int(value)
        except ValueError:
            try:
                values[key.strip()] = float(value)
            except ValueError:
                values[key.strip()] = value
    return values


def species_order(atoms) -> tuple[list[str], np.ndarray]:
    """Species in order of first appearance and the permutation that groups atoms by species."""
    symbols = atoms.get_chemical_symbols()
    species = list(dict.fromkeys(symbols))
    order = np.argsort([species.index(s) for s in symbols], kind="stable")
    return species, order


def potcar_choices(overrides: dict | None = None) -> dict[str, str]:
    """PAW-PBE POTCAR per element: the Materials Project's choices as pymatgen ships them (the
    VASP-recommended semicore sets for most elements: Li_sv, Zr_sv, Y_sv, In_d, ...), with
    ``overrides`` (config ``reference.potcars``) on top."""
    from pymatgen.io.vasp.sets import MPRelaxSet

    return {**MPRelaxSet.CONFIG["POTCAR"], **(overrides or {})}


def potcar_text(species: list[str], pp_path: str, potcars: dict) -> str:
    parts = []
    for symbol in species:
        name = potcars.get(symbol, symbol)
        candidates = [Path(pp_path) / "potpaw_PBE" / name / "POTCAR", Path(pp_path) / name / "POTCAR"]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            raise FileNotFoundError(
                f"{candidates[0]}: POTCAR for {symbol} not found (key "
                "'reference.pp_path' or VASP_PP_PATH); point it at your PAW-PBE set"
            )
        parts.append(found.read_text())
    return "".join(parts)


def write_vasp_inputs(
    atoms, directory: str | Path, incar: dict, kpoints=None, pp_path: str | None = None, potcars: dict | None = None
) -> np.ndarray:
    """Write INCAR, KPOINTS (Γ-centred mesh; none with KSPACING), POSCAR and, with ``pp_path``, POTCAR.

    Atoms are grouped by species for the POTCAR; the returned permutation maps POSCAR order
    back to ``atoms`` order (``forces[order] = forces_in_poscar_order``).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if ("KSPACING" in incar) == (kpoints is not None):
        raise ValueError("vasp backend: give either a k-mesh or KSPACING, not both or neither")
    (directory / "INCAR").write_text(format_incar(incar))
    if kpoints is not None:
        mesh = " ".join(str(int(n)) for n in kpoints)
        (directory / "KPOINTS").write_text(f"Gamma-centred mesh\n0\nGamma\n{mesh}\n0 0 0\n")
    species, order = species_order(atoms)
    write(directory / "POSCAR", atoms[order], format="vasp", direct=True, sort=False)
    if pp_path is not None:
        (directory / "POTCAR").write_text(potcar_text(species, pp_path, potcar_choices(potcars)))
    return order


def electronic_steps(vasprun: Path) -> int:
    """Number of electronic steps of the last ionic step in vasprun.xml."""
    calculations = ET.parse(vasprun).getroot().findall("calculation")
    return len(calculations[-1].findall("scstep")) if calculations else 0


def vasp_command(command: str | None) -> str | None:
    return command or os.environ.get("VASP_COMMAND")


def check_vasp(command: str | None, pp_path: str | None) -> list[str]:
    """Problems that would stop VASP here (empty when it can run)."""
    command = vasp_command(command)
    if not command:
        return [f"no VASP command; {INSTALL_HINT}"]
    problems = []
    program = shlex.split(command)[0]
    if shutil.which(program) is None:
        problems.append(f"{program!r} (from the VASP command {command!r}) not found on PATH; {INSTALL_HINT}")
    pp_path = pp_path or os.environ.get("VASP_PP_PATH")
    if not pp_path or not Path(pp_path).is_dir():
        problems.append(f"PAW potentials folder {pp_path!r} not found; set reference.pp_path or VASP_PP_PATH")
    return problems


class VaspReference(Calculator):
    """ASE calculator: one VASP run per single point from a preset; energy, forces, stress."""

    implemented_properties = ["energy", "free_energy", "forces", "stress"]

    def __init__(
        self,
        preset: str,
        command: str | None = None,
        kpoints=None,
        pp_path: str | None = None,
        potcars: dict | None = None,
        timeout_s: float | None = None,
        workdir: str | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if preset not in PRESETS:
            raise ValueError(f"vasp backend: unknown preset {preset!r}; use one of {', '.join(PRESETS)}")
        if PRESETS[preset]["NSW"] != 0:
            raise ValueError(
                f"vasp backend: preset {preset!r} is a VASP relaxation; a reference "
                "calculator needs a single-point preset (write_vasp_inputs writes relaxations)"
            )
        self.incar = dict(PRESETS[preset])
        self.kpoints = None if "KSPACING" in self.incar else kpoints
        self.command = vasp_command(command)
        self.pp_path = pp_path or os.environ.get("VASP_PP_PATH")
        self.potcars = potcar_choices(potcars)
        self.timeout_s = timeout_s
        self.workdir = workdir

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        if not self.command:
            raise RuntimeError(f"vasp backend: no VASP command; {INSTALL_HINT}")
        with tempfile.TemporaryDirectory(prefix="vasp_", dir=self.workdir) as name:
            directory = Path(name)
            order = write_vasp_inputs(self.atoms, directory, self.incar, self.kpoints, self.pp_path, self.potcars)
            try:
                result = subprocess.run(
                    self.command, shell=True, cwd=directory, capture_output=True, text=True, timeout=self.timeout_s
                )
            except subprocess.TimeoutExpired as err:
                raise ReferenceFailure(f"vasp: no result within {self.timeout_s} s") from err
            vasprun = directory / "vasprun.xml"
            if result.returncode != 0 or not vasprun.is_file():
                raise ReferenceFailure(f"vasp: exit {result.returncode}: {result.stderr[-300:].strip()}")
            if electronic_steps(vasprun) >= self.incar["NELM"]:
                raise ReferenceFailure(f"vasp: SCF not converged in NELM = {self.incar['NELM']} steps")
            final = read(vasprun, index=-1)
        forces = np.empty((len(self.atoms), 3))
        forces[order] = final.get_forces()
        energy = final.get_potential_energy()
        self.results = {
            "energy": energy,
            "free_energy": energy,
            "forces": forces,
            "stress": final.get_stress(voigt=True),
        }
