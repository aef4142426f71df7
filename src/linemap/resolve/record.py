"""Person records as the resolver takes them: one Arrow table, one row per mention.

Columns: `unique_id` (text, unique), then any of `first_name`, `surname`, `dob` (ISO partial
date: "2009", "2009-04" or "2009-04-03"), `postcode` ("SW1A 1AA" or a district "SW1A"),
`phone` (E.164), `alias` (street name or nickname: weak evidence) and `address` (one line), all
text and already normalised; plus any extra columns the caller names (compared as plain text)
and any identifier columns (a PNC id, an NHS number: compared exactly, a conflict counts
against).

Also here, because they are pure: recognising those columns in a file's header by their common
names, reading a `--map` option, and normalising a table's values with normalisers the caller
passes in (the intake normalisers, which this layer may not import), one call per distinct value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from linemap.errors import InvalidInput

ID = "unique_id"
FIELDS = ("first_name", "surname", "dob", "postcode", "phone", "alias", "address")
FULL_NAME = "full_name"  # an input-only field, split into first_name and surname
EXTRA = "extra"  # the --map key that adds an extra column

# Header names recognised for each field, compared after folding case and punctuation.
SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "first_name": ("first_name", "firstname", "forename", "forenames", "given_name",
                   "givenname", "given_names", "first"),
    "surname": ("surname", "last_name", "lastname", "family_name", "familyname", "last"),
    FULL_NAME: ("full_name", "fullname", "name", "person_name"),
    "dob": ("dob", "date_of_birth", "dateofbirth", "birth_date", "birthdate", "born", "d_o_b"),
    "postcode": ("postcode", "post_code", "postal_code", "postalcode", "zip", "zip_code",
                 "zipcode"),
    "phone": ("phone", "phone_number", "mobile", "mobile_number", "telephone", "tel",
              "telephone_number", "msisdn"),
    "alias": ("alias", "aka", "nickname", "street_name", "moniker"),
    "address": ("address", "address_line", "address_line_1", "address1", "street_address",
                "home_address", "addr"),
}  # fmt: skip
_FOLD = re.compile(r"[^a-z0-9]+")


def _fold_header(header: str) -> str:
    """Fold a header to lower-case words joined by "_": "Date of Birth" -> "date_of_birth"."""
    return _FOLD.sub("_", header.lower()).strip("_")


@dataclass(frozen=True)
class ColumnMap:
    """Which input column holds each field, and which extra columns to compare as text."""

    id_column: str
    fields: Mapping[str, str]  # field (or full_name) -> input column
    extras: tuple[str, ...] = ()

    def columns(self) -> list[str]:
        """List every input column the map reads, the id column first."""
        return [self.id_column, *self.fields.values(), *self.extras]


def recognise_columns(headers: Sequence[str], id_column: str) -> dict[str, str]:
    """Find each field's column among the headers by its common names; the first match wins."""
    folded = {_fold_header(h): h for h in reversed(headers) if h != id_column}
    found: dict[str, str] = {}
    for field_name, names in SYNONYMS.items():
        for name in names:
            header = folded.get(name)
            if header is not None and header not in found.values():
                found[field_name] = header
                break
    if FULL_NAME in found and "first_name" in found and "surname" in found:
        del found[FULL_NAME]  # both parts are there: the whole name adds nothing
    return found


def parse_map(text: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """Read "first_name=COL,surname=COL,extra=COL,..." into fields and extra columns."""
    fields: dict[str, str] = {}
    extras: list[str] = []
    known = (*FIELDS, FULL_NAME, EXTRA)
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, equals, column = (piece.strip() for piece in item.partition("="))
        if not equals or not key or not column:
            raise InvalidInput(
                f"--map entry {item!r} is not FIELD=COLUMN; separate entries by commas"
            )
        if key not in known:
            raise InvalidInput(f"--map has no field {key!r}; fields: {', '.join(known)}")
        if key == EXTRA:
            extras.append(column)
        elif key in fields:
            raise InvalidInput(f"--map gives field {key!r} twice; give each field once")
        else:
            fields[key] = column
    return fields, tuple(extras)


def make_column_map(
    headers: Sequence[str], id_column: str, mapped: Mapping[str, str], extras: Iterable[str]
) -> ColumnMap:
    """Check a map against the headers, recognising the fields it does not give."""
    fields = dict(mapped) if mapped else recognise_columns(headers, id_column)
    extra_columns = tuple(extras)
    missing = [c for c in (id_column, *fields.values(), *extra_columns) if c not in headers]
    if missing:
        raise InvalidInput(
            f"the input has no column {missing[0]!r};"
            " check --id-column and --map against the header"
        )
    if not fields and not extra_columns:
        raise InvalidInput("no columns to compare were recognised; name them with --map")
    return ColumnMap(id_column, fields, extra_columns)


def make_records(
    data: Any, extras: Sequence[str] = (), identifiers: Sequence[str] = ()
) -> pa.Table:
    """Check and tidy the records: ids unique and present, compared columns as text.

    Takes an Arrow table, a pandas DataFrame or a sequence of mappings. An identifier column
    no record has is added empty (identifiers are sparse by nature); an extra column must exist.
    """
    table = _to_arrow(data)
    if ID not in table.column_names:
        raise InvalidInput(f"the records have no {ID!r} column; give every record an id")
    for column in extras:
        if column not in table.column_names or column in (ID, *FIELDS):
            raise InvalidInput(f"extra column {column!r} is missing or is a standard field")
    for column in identifiers:
        if column in (ID, *FIELDS, *extras):
            raise InvalidInput(f"identifier column {column!r} is a standard or extra field")
        if column not in table.column_names:
            table = table.append_column(column, pa.nulls(table.num_rows, pa.string()))
    columns = [ID, *(f for f in FIELDS if f in table.column_names), *extras, *identifiers]
    table = table.select(columns)
    table = pa.table({c: _as_text(table.column(c)) for c in columns})
    ids = table.column(ID)
    if ids.null_count:
        raise InvalidInput(f"{ids.null_count} records have no id; give every record an id")
    duplicates = len(ids) - len(pc.unique(ids))
    if duplicates:
        raise InvalidInput(f"{duplicates} record ids are repeated; ids must be unique")
    return table


def _to_arrow(data: Any) -> pa.Table:
    """Turn an Arrow table, a DataFrame or a sequence of mappings into an Arrow table."""
    if isinstance(data, pa.Table):
        return data
    if hasattr(data, "to_dict") and hasattr(data, "columns"):  # a pandas DataFrame
        return pa.Table.from_pandas(data, preserve_index=False)
    if isinstance(data, Sequence):
        rows = list(data)
        # Every key of every row, in order of first appearance: Arrow would otherwise take the
        # columns of the first row alone and silently drop a field that row lacks.
        names = list(dict.fromkeys(key for row in rows for key in row))
        return pa.table({name: [row.get(name) for row in rows] for name in names})
    raise InvalidInput("records must be an Arrow table, a DataFrame or a list of mappings")


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Cast a column to text, with empty or blank strings as missing values."""
    if not pa.types.is_string(column.type):
        column = pc.cast(column, pa.string())
    blank = pc.equal(pc.utf8_trim_whitespace(column), "")
    return pc.if_else(blank, pa.scalar(None, pa.string()), column)


# A normaliser for this module: text in, normalised text out, or None when unusable.
ValueNormaliser = Callable[[str], str | None]


@dataclass(frozen=True)
class NormaliseReport:
    """How many values of each column could not be normalised and were left out."""

    refused: Mapping[str, int]

    @property
    def caveats(self) -> tuple[str, ...]:
        """Say, per column, how many values were unusable (counts only, never values)."""
        return tuple(
            f"{count} {column} values could not be read and were treated as missing"
            for column, count in self.refused.items()
            if count
        )


def normalise_column(column: pa.ChunkedArray, normaliser: ValueNormaliser) -> tuple[pa.Array, int]:
    """Normalise every distinct value of a text column once; return it and the refused count.

    A normaliser returns None for a value it cannot use (counted as refused) and "" for a cell
    that says the value is unknown ("N/K", "Unknown"): missing, but not a mistake.
    """
    encoded = pc.dictionary_encode(column.combine_chunks())
    dictionary = encoded.dictionary.to_pylist()
    normalised = pa.array([normaliser(value.strip()) for value in dictionary], pa.string())
    result = pc.take(normalised, encoded.indices)
    refused = result.null_count - column.null_count
    blank = pc.equal(result, "")
    return pc.if_else(blank, pa.scalar(None, pa.string()), result), refused


def normalise_records(
    table: pa.Table, normalisers: Mapping[str, ValueNormaliser]
) -> tuple[pa.Table, NormaliseReport]:
    """Normalise the columns that have a normaliser; unusable values become missing."""
    refused: dict[str, int] = {}
    for name, normaliser in normalisers.items():
        if name in table.column_names:
            values, count = normalise_column(table.column(name), normaliser)
            table = table.set_column(table.column_names.index(name), name, values)
            refused[name] = count
    return table, NormaliseReport(refused)
