"""Published numbers as data: a ``reference_values`` YAML file (config/reference_values/) holds
``table -> row -> quantity -> {value, unit, source}``; a run's tables are compared with it.

Nothing here knows a material or a paper: the files do (paper 1 and paper 2 for Li2ZrCl6 ship in
config/reference_values/; a user points the config at their own experiment or paper).
"""

from __future__ import annotations

from pathlib import Path

from ionflow.config import ConfigError, load_yaml

FIELDS = ("value", "unit", "source")


def load_reference_values(path: str | Path) -> dict[str, dict[str, dict[str, dict]]]:
    """The nested ``table -> row -> quantity -> {value, unit, source}`` of ``path``; an entry
    without a numeric value, a unit or a source is an error naming it."""
    data = load_yaml(path)
    for table, rows in data.items():
        for row, quantities in (rows or {}).items():
            for quantity, entry in (quantities or {}).items():
                where = f"{path}: {table}.{row}.{quantity}"
                if not isinstance(entry, dict) or set(entry) != set(FIELDS):
                    raise ConfigError(f"{where}: give exactly {{value, unit, source}}, got {entry!r}")
                if not isinstance(entry["value"], int | float) or isinstance(entry["value"], bool):
                    raise ConfigError(f"{where}: value {entry['value']!r} is not a number")
    return data


def values(reference: dict, table: str) -> dict[str, dict[str, float]]:
    """``row -> quantity -> value`` of one table of loaded reference values (empty if absent)."""
    return {
        row: {quantity: float(entry["value"]) for quantity, entry in quantities.items()}
        for row, quantities in reference.get(table, {}).items()
    }


def compare(ours: dict[str, dict[str, dict[str, float]]], reference: dict) -> list[dict]:
    """Rows ``table, row, quantity, unit, reference, ionflow, relative_difference, source``.

    ``ours[table][row][quantity]`` holds ionflow's value; a number ionflow did not compute
    (row or quantity missing) is listed with an empty ``ionflow`` so the gap is visible.
    """
    rows = []
    for table, reported in reference.items():
        for row, quantities in reported.items():
            for quantity, entry in quantities.items():
                value = ours.get(table, {}).get(row, {}).get(quantity)
                published = float(entry["value"])
                rows.append(
                    {
                        "table": table,
                        "phase": row,
                        "quantity": quantity,
                        "unit": entry["unit"],
                        "reference": published,
                        "ionflow": value,
                        "relative_difference": None if value is None else (value - published) / published,
                        "source": entry["source"],
                    }
                )
    return rows
