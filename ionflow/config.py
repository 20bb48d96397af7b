"""Configuration loading and validation against ``config/schema.yaml``.

Every error is one line that names the config file, the key and what is expected, so a user
can fix it without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import yaml


class ConfigError(ValueError):
    """A configuration that does not match the schema or points at missing files."""


def load_yaml(path: str | Path) -> dict:
    """Read one YAML config file; a syntax error names the file and line."""
    path = Path(path)
    try:
        with path.open() as handle:
            data = yaml.safe_load(handle)
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


def validate_config(config: dict, schema_path: str | Path, source: str | Path) -> None:
    """Validate ``config`` against the JSON schema at ``schema_path``.

    ``source`` names the file(s) the config came from, for the error message. Also checks
    that every phase's CIF exists. Raises :class:`ConfigError` with a one-line message.
    """
    schema = load_yaml(schema_path)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        raise ConfigError(f"{source}: key '{_key_path(error)}': {_describe(error)}")
    check_analysis_run(config, source)
    for name, phase in config["phases"].items():
        if not Path(phase["cif"]).is_file():
            raise ConfigError(
                f"{source}: key 'phases.{name}.cif': structure file {phase['cif']} not found; "
                "point it at a CIF (see config/structures/)"
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
    if analysis["seed"] not in config["md"]["seeds"]:
        raise ConfigError(f"{source}: key 'analysis.seed': {analysis['seed']} is not one of md.seeds "
                          f"{config['md']['seeds']}")


def check_phase_names(requested: list[str], config: dict, source: str | Path, key: str) -> None:
    """Raise if a phase named in ``key`` is not defined under ``phases``."""
    unknown = [p for p in requested if p not in config["phases"]]
    if unknown:
        raise ConfigError(
            f"{source}: key '{key}': unknown phase {', '.join(unknown)}; "
            f"defined phases: {', '.join(config['phases'])}"
        )
