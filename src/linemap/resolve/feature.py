"""Features derived from records for comparison and blocking; pure, no Splink.

Each Python-level derivation (name variants, phonetic keys) runs once per distinct value and is
spread back over the rows with Arrow, so a million rows with fifty thousand distinct surnames
cost fifty thousand calls, not a million.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from linemap.resolve.address import address_key
from linemap.resolve.name import name_variants, phonetic_key
from linemap.resolve.record import FIELDS, ID, make_records

if TYPE_CHECKING:
    from linemap.resolve.duplicate import Duplicates

# Derived columns, by the field they come from.
DERIVED = {
    "first_name": ("first_name_sound", "first_name_variants", "first_initial"),
    "surname": ("surname_sound", "surname_initial"),
    "dob": ("dob_year", "dob_month", "dob_day", "dob_full"),
    "postcode": ("postcode_district", "postcode_sector"),
}
# Fields that say more about a person than what they are called.
_BEYOND_NAMES = ("dob", "postcode", "phone", "address")


@dataclass(frozen=True)
class Features:
    """Records with their derived columns, and which fields hold any value at all."""

    table: pa.Table
    fields: tuple[str, ...]  # standard fields with at least one value, in FIELDS order
    extras: tuple[str, ...]  # extra text columns with at least one value
    identifiers: tuple[str, ...] = ()  # identifier columns with at least one value
    # The records whose value frequencies adjust exact matches, when not these (the distinct
    # records of a larger table are scored with the frequencies of the whole table).
    frequencies: pa.Table | None = None

    @property
    def ids(self) -> pa.ChunkedArray:
        """Return the record ids, in row order."""
        return self.table.column(ID)

    def __len__(self) -> int:
        """Return the number of records."""
        return int(self.table.num_rows)

    def names_only(self) -> list[bool]:
        """Tell, per row, whether the record holds names (and an alias) and nothing else: no
        date of birth, postcode, phone, address, extra column or identifier."""
        beyond = pa.array([False] * len(self), pa.bool_())
        for column in (*_BEYOND_NAMES, *self.extras, *self.identifiers):
            beyond = pc.or_(beyond, pc.is_valid(self.table.column(column)))
        return pc.invert(beyond).to_pylist()  # type: ignore[no-any-return]

    def agree_on_names_only(self, left: pa.Array, right: pa.Array) -> list[bool]:
        """Tell, per pair of rows (by position), whether nothing but names could agree: no
        year of birth, postcode district, phone, address, extra column or identifier is the
        same."""
        agree = pa.array([False] * len(left), pa.bool_())
        for column in (
            "dob_year",
            "postcode_district",
            "phone",
            "address",
            *self.extras,
            *self.identifiers,
        ):
            values = self.table.column(column)
            same = pc.equal(pc.take(values, left), pc.take(values, right))
            agree = pc.or_(agree, pc.fill_null(same, False))
        return pc.invert(agree).to_pylist()  # type: ignore[no-any-return]

    @functools.cached_property
    def duplicates(self) -> Duplicates:
        """Return the records grouped by identical compared values (computed once)."""
        from linemap.resolve.duplicate import collapse  # duplicate builds on this module

        return collapse(self)


def _per_distinct(
    column: pa.ChunkedArray, function: Callable[[str], object], kind: pa.DataType
) -> pa.Array:
    """Apply a function once per distinct non-null value and spread the results over rows."""
    encoded = pc.dictionary_encode(column.combine_chunks())
    values = [function(value) for value in encoded.dictionary.to_pylist()]
    return pc.take(pa.array(values, kind), encoded.indices)


def _sound(name: str) -> str | None:
    """Return a name's phonetic key, or None when it has none (so that it never matches)."""
    return phonetic_key(name) or None


def _lower(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Lower-case and trim a text column."""
    return pc.utf8_trim_whitespace(pc.utf8_lower(column))


def _part(column: pa.ChunkedArray, start: int, stop: int) -> pa.ChunkedArray:
    """Take characters [start, stop) of an ISO date as an integer; missing when absent."""
    text = pc.utf8_slice_codeunits(column, start, stop)
    empty = pc.equal(pc.utf8_length(text), 0)
    return pc.cast(pc.if_else(empty, pa.scalar(None, pa.string()), text), pa.int16())


def _name_features(table: pa.Table, columns: dict[str, pa.ChunkedArray | pa.Array]) -> None:
    """Add lower-cased names, phonetic keys, forename variants and the forename's initial."""
    if "first_name" in table.column_names:
        first = _lower(table.column("first_name"))
        columns["first_name"] = first
        columns["first_name_sound"] = _per_distinct(first, _sound, pa.string())
        columns["first_name_variants"] = _per_distinct(
            first, lambda name: list(name_variants(name)), pa.list_(pa.string())
        )
        columns["first_initial"] = pc.utf8_slice_codeunits(first, 0, 1)
    if "surname" in table.column_names:
        surname = _lower(table.column("surname"))
        columns["surname"] = surname
        columns["surname_sound"] = _per_distinct(surname, _sound, pa.string())
        columns["surname_initial"] = pc.utf8_slice_codeunits(surname, 0, 1)


def _dob_features(table: pa.Table, columns: dict[str, pa.ChunkedArray | pa.Array]) -> None:
    """Split an ISO partial date of birth into year, month and day; keep full dates whole."""
    dob = pc.utf8_trim_whitespace(table.column("dob"))
    columns["dob"] = dob
    columns["dob_year"] = _part(dob, 0, 4)
    columns["dob_month"] = _part(dob, 5, 7)
    columns["dob_day"] = _part(dob, 8, 10)
    complete = pc.equal(pc.utf8_length(dob), 10)
    columns["dob_full"] = pc.if_else(complete, dob, pa.scalar(None, pa.string()))


def _postcode_features(table: pa.Table, columns: dict[str, pa.ChunkedArray | pa.Array]) -> None:
    """Add the postcode's district ("SW1A") and sector ("SW1A 1"); a district has no sector."""
    postcode = pc.utf8_upper(pc.utf8_trim_whitespace(table.column("postcode")))
    columns["postcode"] = postcode
    columns["postcode_district"] = pc.replace_substring_regex(postcode, r" .*$", "")
    full = pc.match_substring(postcode, " ")
    sector = pc.utf8_slice_codeunits(postcode, 0, -2)
    columns["postcode_sector"] = pc.if_else(full, sector, pa.scalar(None, pa.string()))


def make_features(
    records: object, extras: Sequence[str] = (), identifiers: Sequence[str] = ()
) -> Features:
    """Derive the comparison and blocking columns from records (see `record.make_records`)."""
    table = make_records(records, extras, identifiers)
    columns: dict[str, pa.ChunkedArray | pa.Array] = {ID: table.column(ID)}
    _name_features(table, columns)
    if "dob" in table.column_names:
        _dob_features(table, columns)
    if "postcode" in table.column_names:
        _postcode_features(table, columns)
    if "phone" in table.column_names:
        columns["phone"] = pc.utf8_trim_whitespace(table.column("phone"))
    if "address" in table.column_names:
        columns["address"] = _per_distinct(table.column("address"), address_key, pa.string())
    for text_field in ("alias", *extras):
        if text_field in table.column_names:
            columns[text_field] = pc.replace_substring_regex(
                _lower(table.column(text_field)), r"\s+", " "
            )
    for identifier in identifiers:
        # "999 123 4567" and "9991234567" are one NHS number; case never tells ids apart.
        values = pc.utf8_upper(table.column(identifier))
        columns[identifier] = pc.replace_substring_regex(values, r"\s+", "")
    derived = pa.table(columns)
    present = tuple(f for f in FIELDS if f in derived.column_names and _has_values(derived, f))
    present_extras = tuple(e for e in extras if _has_values(derived, e))
    present_identifiers = tuple(i for i in identifiers if _has_values(derived, i))
    # Missing fields become all-null columns, so every backend sees the same schema.
    for name in (*FIELDS, *(d for f in FIELDS for d in DERIVED.get(f, ()))):
        if name not in derived.column_names:
            kind = pa.list_(pa.string()) if name == "first_name_variants" else pa.string()
            kind = pa.int16() if name in ("dob_year", "dob_month", "dob_day") else kind
            derived = derived.append_column(name, pa.nulls(derived.num_rows, kind))
    return Features(derived, present, present_extras, present_identifiers)


def _has_values(table: pa.Table, column: str) -> bool:
    """Tell whether a column holds at least one value."""
    values = table.column(column)
    return bool(values.null_count < len(values))
