"""Bad input stops a step with a message that names the file and where in it the problem is.

Trajectories cut by a killed writer, read by the workflow's transport step (`analyse_runs`
over several seeds) and by the MD chunk tools; config files with an impossible value, as the
workflow loads them from disk. (Single-file reader and CLI cases: test_readers.py,
test_cli.py; schema cases built in memory: test_config.py.)
"""

from pathlib import Path

import numpy as np
import pytest
import yaml

from ionflow.analysis.transport.runs import analyse_runs
from ionflow.config import ConfigError, load_yaml, validate_config
from ionflow.md.dumps import concatenate_dumps, dump_frames
from ionflow.md.lammps import last_frame
from ionflow.reference.foundation import load_cpunep
from ionflow.trajectory.frame import TrajectoryError
from ionflow.trajectory.synthetic import write_lammps_dump

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "config" / "schema.yaml"
CELL = np.diag([9.0, 9.5, 10.0])
NUMBERS = np.array([3, 3, 3, 3, 40, 17, 17, 17, 17, 17, 17, 17])
LINES_PER_FRAME = 9 + len(NUMBERS)


def _seed_run(path, seed, n_frames=30):
    rng = np.random.default_rng(seed)
    start = rng.random((len(NUMBERS), 3)) @ CELL
    steps = np.cumsum(rng.normal(0.0, 0.3, (n_frames, len(NUMBERS), 3)), axis=0)
    write_lammps_dump(path, NUMBERS, start + steps, CELL, species_order=["Li", "Zr", "Cl"])
    return path


def _cut(path, n_chars):
    path.write_text(path.read_text()[:n_chars])


def _frame_start(path, index):
    """Character offset where frame ``index`` begins."""
    lines = path.read_text().splitlines(keepends=True)
    return sum(len(line) for line in lines[: index * LINES_PER_FRAME])


@pytest.mark.parametrize(
    "where, message",
    [
        ("atoms", r"seed2.lammpstrj: frame 17 is truncated \(expected 12 atoms, found \d+\)"),
        ("mid_line", r"seed2.lammpstrj: frame 17: unreadable atom line"),
        ("header", r"seed2.lammpstrj: frame 17 is truncated \(file ends before 'ITEM: NUMBER OF ATOMS'\)"),
    ],
)
def test_transport_step_names_the_cut_seed_and_frame(tmp_path, where, message):
    runs = [_seed_run(tmp_path / f"seed{seed}.lammpstrj", seed) for seed in (1, 2, 3)]
    start = _frame_start(runs[1], 17)
    text = runs[1].read_text()
    atoms_at = text.index("ITEM: ATOMS", start)
    first_atom = text.index("\n", atoms_at) + 1
    cut = {
        "atoms": text.index("\n", first_atom + 60) + 1,  # whole lines, too few of them
        "mid_line": _frame_start(runs[1], 18) - 20,  # its last atom line cut in the middle
        "header": text.index("\n", start + len("ITEM: TIMESTEP\n")) + 1,
    }[where]
    _cut(runs[1], cut)
    with pytest.raises(TrajectoryError, match=message):
        analyse_runs(
            [str(p) for p in runs],
            "Li",
            temperature_K=1000.0,
            dt_ps=0.1,
            n_segments=1,
            fit_window_ps=(0.2, 1.0),
            fmt="lammps-dump",
        )


def test_chunk_tools_name_the_cut_dump_and_frame(tmp_path):
    whole = _seed_run(tmp_path / "production_002.lammpstrj", 4, n_frames=5)
    _cut(whole, _frame_start(whole, 3) + 200)
    with pytest.raises(ValueError, match=r"production_002.lammpstrj: frame 3 \(step 300\) is truncated"):
        list(dump_frames(whole))
    with pytest.raises(ValueError, match=r"production_002.lammpstrj: frame 3 \(step 300\) is truncated"):
        concatenate_dumps([whole], tmp_path / "traj.lammpstrj", 100)
    with pytest.raises(ValueError, match=r"production_002.lammpstrj: the last frame is truncated or unreadable"):
        last_frame(whole)
    assert not (tmp_path / "traj.lammpstrj").exists()


def _config_file(tmp_path, name, section, key, value):
    config = load_yaml(ROOT / "config" / "config.yaml")
    config[section][key] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.mark.parametrize(
    "section, key, value, expected",
    [
        (
            "aimd",
            "temperatures",
            [300, -1000],
            r"key 'aimd.temperatures.1': -1000 is less than or equal to the minimum",
        ),
        ("analysis", "temperature_K", -1200, r"key 'analysis.temperature_K': -1200 is less than or equal to the mini"),
        ("md", "engine", "gromacs", r"key 'md.engine': 'gromacs' is not one of lammps"),
        ("md", "chunk_ps", 0, r"key 'md.chunk_ps': 0 is less than or equal to the minimum of 0"),
    ],
)
def test_config_file_with_bad_value_names_file_and_key(tmp_path, monkeypatch, section, key, value, expected):
    monkeypatch.chdir(ROOT)  # the CIF paths in the config are relative to the checkout
    path = _config_file(tmp_path, "my_study.yaml", section, key, value)
    with pytest.raises(ConfigError, match=rf"^{tmp_path}/my_study.yaml: {expected}"):
        validate_config(load_yaml(path), SCHEMA, path)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda b: b["md"]["glide"].update(system="lzc_gamma"), r"key 'study_b.md.glide.system': 'lzc_gamma' is not"),
        (
            lambda b: b["analysis"].update(bulk_temperature_K=333),
            r"key 'study_b.analysis.bulk_temperature_K': 333 K is not",
        ),
        (lambda b: b["md"].update(chunk_ps=-1), r"key 'study_b.md.chunk_ps': -1 is less than or equal to the minimum"),
    ],
)
def test_study_b_bulk_md_settings_are_checked(tmp_path, monkeypatch, change, expected):
    monkeypatch.chdir(ROOT)
    config = load_yaml(ROOT / "config" / "config.yaml")
    change(config["study_b"])
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(config))
    with pytest.raises(ConfigError, match=rf"^{tmp_path}/b.yaml: {expected}"):
        validate_config(load_yaml(path), SCHEMA, path)


def test_analysis_rdf_validation_needs_reference_md(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    path = _config_file(tmp_path, "s3.yaml", "analysis", "rdf_validation_K", [300, 950])
    with pytest.raises(ConfigError, match=r"key 'analysis.rdf_validation_K': \[950\] K have no reference MD"):
        validate_config(load_yaml(path), SCHEMA, path)


def test_analysis_lags_longer_than_the_runs_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    path = _config_file(tmp_path, "lags.yaml", "analysis", "van_hove_lags_ps", [0.1, 10.0])
    with pytest.raises(
        ConfigError,
        match=r"key 'analysis.van_hove_lags_ps': a lag of 10 ps needs runs longer than "
        r"md.production_ps 3 ps",
    ):
        validate_config(load_yaml(path), SCHEMA, path)


def test_validation_with_md_teacher_needs_a_validation_cell(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    config = load_yaml(ROOT / "config" / "config.yaml")
    del config["phases"]["beta"]["validation_supercell"]
    path = tmp_path / "v.yaml"
    path.write_text(yaml.safe_dump(config))
    with pytest.raises(ConfigError, match=r"key 'phases.beta.validation_supercell': missing"):
        validate_config(load_yaml(path), SCHEMA, path)


def test_half_written_nep_model_is_named(tmp_path):
    """A NEP file cut mid-write (here NEP89 cut at 200 kB) stops with its path, not calorine's bare
    ValueError; the whole file loads."""
    model = ROOT / "external" / "nep89.txt"
    cut = tmp_path / "nep.txt"
    cut.write_bytes(model.read_bytes()[:200_000])
    with pytest.raises(ValueError, match=r"nep.txt: not a complete NEP model .*half-written"):
        load_cpunep(cut)
    assert load_cpunep(model) is not None
