"""Configuration loading and validation against ``config/schema.yaml``.

Every error is one line that names the config file, the key and what is expected, so a user
can fix it without reading a traceback.
"""

from __future__ import annotations

import copy
from pathlib import Path

import jsonschema
import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the schemas parse 10x faster


class ConfigError(ValueError):
    """A configuration that does not match the schema or points at missing files."""


def load_yaml(path: str | Path) -> dict:
    """Read one YAML config file; a syntax error names the file and line."""
    path = Path(path)
    try:
        with path.open() as handle:
            data = yaml.load(handle, Loader=SAFE_LOADER)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}:{where} is not valid YAML ({err.__class__.__name__}); fix the syntax") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level")
    return data


def _key_path(error: jsonschema.ValidationError) -> str:
    parts = [str(p) for p in error.absolute_path]
    return ".".join(parts) if parts else "(top level)"


def _describe(error: jsonschema.ValidationError) -> str:
    """One-line explanation of a schema violation."""
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        hint = f"; allowed keys: {', '.join(allowed)}" if allowed else ""
        return f"unknown key {', '.join(repr(k) for k in extra)}{hint}"
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    return error.message


def _schema_errors(config: dict, schema_path: Path, source: str | Path, prefix: str = "") -> None:
    """Raise the first schema violation of ``config``; then fill the schema's defaults into it."""
    schema = load_yaml(schema_path)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        key = _key_path(error)
        key = f"{prefix}{key}" if key != "(top level)" or not prefix else prefix.rstrip(".")
        raise ConfigError(f"{source}: key '{key}': {_describe(error)}")
    fill_defaults(config, schema)


def fill_defaults(config: dict, schema: dict) -> dict:
    """Set, in place, every key that ``schema`` (a JSON schema, already validated against) gives a
    ``default`` and ``config`` leaves out: in nested objects under ``properties`` and in every
    entry of a mapping under ``additionalProperties``. Returns ``config``."""
    for key, sub in schema.get("properties", {}).items():
        if key not in config and "default" in sub:
            config[key] = copy.deepcopy(sub["default"])
        if isinstance(config.get(key), dict):
            fill_defaults(config[key], sub)
    entries = schema.get("additionalProperties")
    if isinstance(entries, dict):
        for key, value in config.items():
            if key not in schema.get("properties", {}) and isinstance(value, dict):
                fill_defaults(value, entries)
    return config


def _require_file(path: str, source: str | Path, key: str, what: str = "structure file", fix: str = "") -> None:
    if not Path(path).is_file():
        fix = fix or "point it at a CIF (see config/structures/)"
        raise ConfigError(f"{source}: key '{key}': {what} {path} not found; {fix}")


def _require_reference_values(block: dict, source: str | Path, key: str) -> None:
    if block.get("reference_values"):
        fix = "point it at a file like config/reference_values/li2zrcl6_paper1.yaml or remove the key"
        _require_file(block["reference_values"], source, key, "reference values file", fix)


def validate_config(config: dict, schema_path: str | Path, source: str | Path) -> None:
    """Validate ``config`` against the JSON schema at ``schema_path``.

    ``source`` names the file(s) the config came from, for the error message. The ``study_b``
    block is validated against ``schema_study_b.yaml`` beside ``schema_path``. Also checks
    that every structure file exists and that cross-references between keys resolve. Raises
    :class:`ConfigError` with a one-line message.
    """
    schema_path = Path(schema_path)
    _schema_errors(config, schema_path, source)
    if "study_a" in config["studies"]:
        check_analysis_run(config, source)
        check_validation(config, source)
        for name, phase in config["phases"].items():
            _require_file(phase["cif"], source, f"phases.{name}.cif")
        _require_reference_values(config, source, "reference_values")
    if "study_b" in config["studies"]:
        study_b = config["study_b"]
        _schema_errors(study_b, schema_path.with_name("schema_study_b.yaml"), source, "study_b.")
        for name, bulk in study_b["bulk"].items():
            _require_file(bulk["cif"], source, f"study_b.bulk.{name}.cif")
        _require_reference_values(study_b, source, "study_b.reference_values")
        check_exploration_systems(study_b, source)
        check_bulk_md(study_b, source)


def check_bulk_md(study_b: dict, source: str | Path) -> None:
    """The glide check runs a known bulk phase; the bulk analyses read a temperature that runs;
    MD with the learned NEP is validated against the reference on bulk systems that run."""
    md, analysis = study_b["md"], study_b["analysis"]
    if md["glide"]["system"] not in study_b["bulk"]:
        raise ConfigError(
            f"{source}: key 'study_b.md.glide.system': {md['glide']['system']!r} is not a "
            f"study_b.bulk phase; pick one of {', '.join(study_b['bulk'])}"
        )
    if analysis["bulk_temperature_K"] not in md["bulk_temperatures"]:
        raise ConfigError(
            f"{source}: key 'study_b.analysis.bulk_temperature_K': {analysis['bulk_temperature_K']} K "
            f"is not in study_b.md.bulk_temperatures {md['bulk_temperatures']}; add it there or pick one"
        )
    if md["potential"] == "final":
        dynamics = study_b["validation"].get("dynamics")
        if dynamics is None:
            raise ConfigError(
                f"{source}: key 'study_b.validation.dynamics' is missing: MD with the learned NEP "
                "(md.potential: final) is validated against the reference; add the block (config/fidelity.yaml)"
            )
        if "model" not in study_b["reference"]:
            raise ConfigError(
                f"{source}: key 'study_b.validation.dynamics': the teacher MD runs the reference's model file, "
                f"and study_b.reference ({study_b['reference']['backend']}) has none; use a NEP reference "
                "(reference.model) or md.potential: foundation"
            )
        unknown = [name for name in dynamics["bulk"] if name not in md["bulk"]]
        if unknown:
            raise ConfigError(
                f"{source}: key 'study_b.validation.dynamics.bulk': {', '.join(unknown)} not in study_b.md.bulk "
                f"({', '.join(md['bulk'])}); validate a bulk system that runs"
            )


def check_exploration_systems(study_b: dict, source: str | Path) -> None:
    """Explored systems must be training bulk phases or pool seeds ``interface1`` … ``interfaceN``."""
    known = [name for name, bulk in study_b["bulk"].items() if bulk["train"]]
    known += [f"interface{n}" for n in range(1, study_b["pool"]["seeds"] + 1)]
    unknown = [s for s in study_b["exploration"]["systems"] if s not in known]
    if unknown:
        raise ConfigError(
            f"{source}: key 'study_b.exploration.systems': unknown system "
            f"{', '.join(unknown)}; use training bulk phases or pool seeds: {', '.join(known)}"
        )


def check_analysis_run(config: dict, source: str | Path) -> None:
    """The analysis temperature and seed must be ones the MD actually runs."""
    analysis = config["analysis"]
    for name, phase in config["phases"].items():
        if analysis["temperature_K"] not in phase["md_temperatures"]:
            raise ConfigError(
                f"{source}: key 'analysis.temperature_K': {analysis['temperature_K']} K is not in "
                f"phases.{name}.md_temperatures; add it there or pick one of {phase['md_temperatures']}"
            )
    production = config["md"]["production_ps"]
    for key in ("van_hove_lags_ps", "residence_max_lag_ps"):
        lags = analysis[key]
        longest = max(lags) if isinstance(lags, list) else lags
        if longest >= production:
            raise ConfigError(
                f"{source}: key 'analysis.{key}': a lag of {longest:g} ps needs runs longer than "
                f"md.production_ps {production:g} ps; shorten the lags or lengthen the runs"
            )
    if analysis["seed"] not in config["md"]["seeds"]:
        raise ConfigError(
            f"{source}: key 'analysis.seed': {analysis['seed']} is not one of md.seeds {config['md']['seeds']}"
        )
    missing = sorted(set(analysis["rdf_validation_K"]) - set(config["aimd"]["temperatures"]))
    if missing:
        raise ConfigError(
            f"{source}: key 'analysis.rdf_validation_K': {missing} K have no reference MD; "
            f"pick from aimd.temperatures {config['aimd']['temperatures']} or add them there"
        )


def check_validation(config: dict, source: str | Path) -> None:
    """``validation.teacher: md`` runs both MD on each phase's ``validation_supercell``."""
    if config["validation"]["teacher"] != "md":
        return
    for name, phase in config["phases"].items():
        if "validation_supercell" not in phase:
            raise ConfigError(
                f"{source}: key 'phases.{name}.validation_supercell': missing; validation.teacher md runs "
                "the teacher and the student on it (e.g. [2, 2, 4]: at least 400 atoms for a diffusion "
                "coefficient), or set validation.teacher: aimd"
            )


def check_phase_names(requested: list[str], config: dict, source: str | Path, key: str) -> None:
    """Raise if a phase named in ``key`` is not defined under ``phases``."""
    unknown = [p for p in requested if p not in config["phases"]]
    if unknown:
        raise ConfigError(
            f"{source}: key '{key}': unknown phase {', '.join(unknown)}; defined phases: {', '.join(config['phases'])}"
        )
