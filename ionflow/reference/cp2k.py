"""CP2K (Debian's cp2k.psmp) as a reference: PBE + D3(BJ), GTH pseudopotentials, MOLOPT basis.

Each single point is one ``cp2k.psmp`` run in its own directory: the input is written from the
settings below, the energy (Hartree), forces (Hartree/Bohr) and analytic stress (GPa) are read
from the output and returned in eV, eV/Å and eV/Å³. An SCF that does not converge within
``max_scf`` steps, a crash or a timeout raises :class:`ReferenceFailure`, never a silent number.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from ase.calculators.calculator import Calculator, all_changes
from ase.units import create_units

from ionflow.reference.errors import ReferenceFailure

# CP2K 2023 converts with CODATA 2018; using the same constants keeps eV results identical to
# what CP2K itself would print.
CODATA_2018 = create_units("2018")
HARTREE_EV = CODATA_2018["Hartree"]
BOHR_A = CODATA_2018["Bohr"]
GPA_EV_A3 = CODATA_2018["GPa"]
DATA_DIR = Path("/usr/share/cp2k")
DATA_FILES = ("BASIS_MOLOPT", "GTH_POTENTIALS", "dftd3.dat")
INSTALL_HINT = "install it with `make system-deps` (apt-get install cp2k cp2k-data)"

BASIS = "DZVP-MOLOPT-SR-GTH"

ENERGY_LINE = re.compile(r"ENERGY\| Total FORCE_EVAL \( QS \) energy \[(?:a\.u\.|hartree)\]:\s+(\S+)")
SCF_FAILED = "SCF run NOT converged"


def cp2k_command(ranks: int, executable: str = "cp2k.psmp") -> list[str]:
    """The command line that runs CP2K on ``ranks`` MPI ranks (one OpenMP thread each)."""
    if ranks <= 1:
        return [executable]
    # The mpirun beside the executable matches the MPI it was built with (Debian: OpenMPI); an
    # mpirun earlier on PATH (a venv's mpich) would not start it.
    found = shutil.which(executable)
    sibling = Path(found).parent / "mpirun" if found else None
    mpirun = str(sibling) if sibling and sibling.exists() else "mpirun"
    return [mpirun, "--allow-run-as-root", "--oversubscribe", "-np", str(ranks), executable]


@functools.cache
def gth_valence(symbol: str, data_dir: Path = DATA_DIR) -> int:
    """Valence electrons of ``symbol`` in CP2K's own data: the ``-q<n>`` name of its
    DZVP-MOLOPT-SR-GTH basis in ``BASIS_MOLOPT``, which ``GTH_POTENTIALS`` must hold as
    ``GTH-PBE-q<n>``. A clear error names the file that lacks the element."""
    basis = re.compile(rf"^\s*{symbol}\s+{BASIS}\s+{BASIS}-q(\d+)\s*$", re.M)
    found = basis.search((data_dir / "BASIS_MOLOPT").read_text())
    if found is None:
        raise ValueError(f"cp2k backend: {data_dir / 'BASIS_MOLOPT'} has no {BASIS} basis for {symbol}")
    valence = int(found[1])
    potential = re.compile(rf"^\s*{symbol}\s+.*\bGTH-PBE-q{valence}\b", re.M)
    if potential.search((data_dir / "GTH_POTENTIALS").read_text()) is None:
        raise ValueError(f"cp2k backend: {data_dir / 'GTH_POTENTIALS'} has no GTH-PBE-q{valence} for {symbol}")
    return valence


def cp2k_input(atoms, cutoff_Ry: float, kpoints, max_scf: int, eps_scf: float, project: str = "ionflow") -> str:
    """CP2K input text for one PBE + D3(BJ) single point with energy, forces and stress.

    ``kpoints`` is None (Γ only) or a Monkhorst–Pack mesh ``[n1, n2, n3]``. Diagonalisation with
    Broyden mixing works with and without k-points, so both paths share one SCF setup. The SCF
    aborts the run when it has not converged after ``max_scf`` steps (CP2K's default); the
    caller turns that into a recorded failure.
    """
    cell = np.asarray(atoms.cell)
    kinds = sorted(set(atoms.get_chemical_symbols()))
    valence = {s: gth_valence(s) for s in kinds}
    kpoint_block = ""
    if kpoints is not None and any(int(n) > 1 for n in kpoints):
        mesh = " ".join(str(int(n)) for n in kpoints)
        kpoint_block = f"    &KPOINTS\n      SCHEME MONKHORST-PACK {mesh}\n      FULL_GRID .FALSE.\n    &END KPOINTS\n"
    kind_blocks = "".join(
        f"    &KIND {s}\n      BASIS_SET {BASIS}\n      POTENTIAL GTH-PBE-q{valence[s]}\n    &END KIND\n" for s in kinds
    )
    coords = "".join(
        f"      {s} {x:.12f} {y:.12f} {z:.12f}\n" for s, (x, y, z) in zip(atoms.get_chemical_symbols(), atoms.positions)
    )
    return f"""&GLOBAL
  PROJECT {project}
  RUN_TYPE ENERGY_FORCE
  PRINT_LEVEL LOW
&END GLOBAL
&FORCE_EVAL
  METHOD QUICKSTEP
  STRESS_TENSOR ANALYTICAL
  &DFT
    BASIS_SET_FILE_NAME BASIS_MOLOPT
    POTENTIAL_FILE_NAME GTH_POTENTIALS
    CHARGE 0
    &MGRID
      CUTOFF {cutoff_Ry}
      REL_CUTOFF 40
    &END MGRID
    &QS
      EPS_DEFAULT 1.0E-10
    &END QS
{kpoint_block}    &SCF
      SCF_GUESS ATOMIC
      EPS_SCF {eps_scf:.1E}
      MAX_SCF {int(max_scf)}
      ADDED_MOS 10
      &SMEAR ON
        METHOD FERMI_DIRAC
        ELECTRONIC_TEMPERATURE [K] 300
      &END SMEAR
      &DIAGONALIZATION
        ALGORITHM STANDARD
      &END DIAGONALIZATION
      &MIXING
        METHOD BROYDEN_MIXING
        ALPHA 0.3
        NBROYDEN 8
      &END MIXING
    &END SCF
    &XC
      &XC_FUNCTIONAL PBE
      &END XC_FUNCTIONAL
      &VDW_POTENTIAL
        POTENTIAL_TYPE PAIR_POTENTIAL
        &PAIR_POTENTIAL
          TYPE DFTD3(BJ)
          PARAMETER_FILE_NAME dftd3.dat
          REFERENCE_FUNCTIONAL PBE
          R_CUTOFF 15.0
        &END PAIR_POTENTIAL
      &END VDW_POTENTIAL
    &END XC
  &END DFT
  &SUBSYS
    &CELL
      A {cell[0, 0]:.12f} {cell[0, 1]:.12f} {cell[0, 2]:.12f}
      B {cell[1, 0]:.12f} {cell[1, 1]:.12f} {cell[1, 2]:.12f}
      C {cell[2, 0]:.12f} {cell[2, 1]:.12f} {cell[2, 2]:.12f}
      PERIODIC XYZ
    &END CELL
    &COORD
{coords}    &END COORD
{kind_blocks}  &END SUBSYS
  &PRINT
    &FORCES ON
    &END FORCES
    &STRESS_TENSOR ON
    &END STRESS_TENSOR
  &END PRINT
&END FORCE_EVAL
"""


def parse_cp2k_output(text: str, n_atoms: int) -> dict:
    """Energy (Hartree), forces (Hartree/Bohr, n×3) and stress (GPa, 3×3) from CP2K's output.

    Raises :class:`ReferenceFailure` when the SCF did not converge or a quantity is missing.
    """
    if SCF_FAILED in text:
        raise ReferenceFailure(f"cp2k: SCF not converged ({_last_scf_step(text)} steps)")
    energies = ENERGY_LINE.findall(text)
    if not energies:
        raise ReferenceFailure("cp2k: no total energy in the output (crashed?)")
    forces = _parse_forces(text, n_atoms)
    stress = _parse_stress(text)
    return {"energy_Ha": float(energies[-1]), "forces_Ha_Bohr": forces, "stress_GPa": stress}


def _last_scf_step(text: str) -> int:
    steps = re.findall(r"^\s+(\d+) (?:Broyden|Pulay|Diag|P_Mix|OT)", text, flags=re.M)
    return int(steps[-1]) if steps else 0


def _parse_forces(text: str, n_atoms: int) -> np.ndarray:
    start = text.rfind("ATOMIC FORCES in [a.u.]")
    if start < 0:
        raise ReferenceFailure("cp2k: no forces in the output")
    rows = []
    for line in text[start:].splitlines()[3:]:
        fields = line.split()
        if len(fields) == 6 and fields[0].isdigit():
            rows.append([float(v) for v in fields[3:6]])
        if len(rows) == n_atoms:
            break
    if len(rows) != n_atoms:
        raise ReferenceFailure(f"cp2k: {len(rows)} force rows for {n_atoms} atoms")
    return np.array(rows)


def _parse_stress(text: str) -> np.ndarray:
    start = text.rfind("STRESS| Analytical stress tensor [GPa]")
    if start < 0:
        raise ReferenceFailure("cp2k: no analytical stress tensor in the output")
    rows = []
    for line in text[start:].splitlines()[2:5]:
        fields = line.split()
        rows.append([float(v) for v in fields[2:5]])
    return np.array(rows)


def check_cp2k(executable: str = "cp2k.psmp", ranks: int = 1) -> list[str]:
    """Problems that would stop a CP2K single point here (empty when it can run)."""
    problems = []
    if shutil.which(executable) is None:
        problems.append(f"{executable} not found on PATH; {INSTALL_HINT}")
    if ranks > 1 and shutil.which(cp2k_command(ranks, executable)[0]) is None:
        problems.append(f"mpirun not found for {ranks} ranks; {INSTALL_HINT} or set ranks: 1")
    missing = [f for f in DATA_FILES if not (DATA_DIR / f).is_file()]
    if missing:
        problems.append(f"CP2K data files {', '.join(missing)} not in {DATA_DIR}; {INSTALL_HINT}")
    return problems


class CP2KReference(Calculator):
    """ASE calculator: one ``cp2k.psmp`` process per single point (energy, forces, stress)."""

    implemented_properties = ["energy", "free_energy", "forces", "stress"]

    def __init__(
        self,
        cutoff_Ry: float = 400.0,
        kpoints=None,
        max_scf: int = 100,
        eps_scf: float = 1e-7,
        ranks: int = 1,
        executable: str = "cp2k.psmp",
        timeout_s: float | None = None,
        workdir: str | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.settings = dict(cutoff_Ry=cutoff_Ry, kpoints=kpoints, max_scf=max_scf, eps_scf=eps_scf)
        self.command = cp2k_command(ranks, executable)
        self.timeout_s = timeout_s
        self.workdir = workdir

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        with tempfile.TemporaryDirectory(prefix="cp2k_", dir=self.workdir) as directory:
            text = run_cp2k(cp2k_input(self.atoms, **self.settings), Path(directory), self.command, self.timeout_s)
        parsed = parse_cp2k_output(text, len(self.atoms))
        energy = parsed["energy_Ha"] * HARTREE_EV
        # CP2K reports the stress as the derivative that is positive under compression;
        # ASE's sign is the opposite (positive under tension).
        stress = -parsed["stress_GPa"] * GPA_EV_A3
        self.results = {
            "energy": energy,
            "free_energy": energy,
            "forces": parsed["forces_Ha_Bohr"] * HARTREE_EV / BOHR_A,
            "stress": np.array([stress[0, 0], stress[1, 1], stress[2, 2], stress[1, 2], stress[0, 2], stress[0, 1]]),
        }


def run_cp2k(input_text: str, directory: Path, command: list[str], timeout_s: float | None) -> str:
    """Run CP2K on ``input_text`` in ``directory``; return its output text."""
    (directory / "cp2k.inp").write_text(input_text)
    env = dict(os.environ, OMP_NUM_THREADS="1")
    try:
        result = subprocess.run(
            [*command, "-i", "cp2k.inp", "-o", "cp2k.out"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            env=env,
        )
    except subprocess.TimeoutExpired as err:
        raise ReferenceFailure(f"cp2k: no result within {timeout_s} s") from err
    output = directory / "cp2k.out"
    text = output.read_text(errors="replace") if output.is_file() else ""
    if SCF_FAILED in text:
        raise ReferenceFailure(f"cp2k: SCF not converged ({_last_scf_step(text)} steps)")
    if result.returncode != 0:
        tail = (result.stderr or text)[-400:].strip().replace("\n", " | ")
        raise ReferenceFailure(f"cp2k: exit {result.returncode} ({shlex.join(command)}): {tail}")
    return text
