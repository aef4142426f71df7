"""Mapping templates for partners: list them, and write a blank-plus-example file."""

from __future__ import annotations

import csv
from pathlib import Path

from linemap.errors import InvalidInput
from linemap.intake.mapping import load_mapping, template_names

__all__ = ["template_names", "write_example"]


def write_example(name: str, out: Path) -> int:
    """Write the template's columns and its synthetic example rows as CSV; return the row count."""
    if name not in template_names():
        raise InvalidInput(f"no template called {name!r}; see `linemap mapping list`")
    mapping = load_mapping(name)
    try:
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=mapping.columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(mapping.example)
    except OSError as error:
        raise InvalidInput(f"cannot write {out}: {error.strerror}; choose another path") from None
    return len(mapping.example)
