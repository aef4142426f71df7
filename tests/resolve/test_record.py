"""Records in: column recognition, --map parsing, validation, normalisation, derived features."""

from __future__ import annotations

import pyarrow as pa
import pytest

from linemap.errors import InvalidInput
from linemap.resolve.feature import make_features
from linemap.resolve.name import are_variants, name_variants, phonetic_key
from linemap.resolve.record import (
    make_column_map,
    make_records,
    normalise_records,
    parse_map,
    recognise_columns,
)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["ID", "Given Name", "Family Name", "Date of Birth", "Post Code", "Mobile"],
            {
                "first_name": "Given Name",
                "surname": "Family Name",
                "dob": "Date of Birth",
                "postcode": "Post Code",
                "phone": "Mobile",
            },
        ),
        (
            [
                "ref",
                "forename",
                "last_name",
                "birth_date",
                "zip",
                "telephone",
                "address_line_1",
                "aka",
            ],
            {
                "first_name": "forename",
                "surname": "last_name",
                "dob": "birth_date",
                "postcode": "zip",
                "phone": "telephone",
                "address": "address_line_1",
                "alias": "aka",
            },
        ),
        (["id", "Full Name", "DOB"], {"full_name": "Full Name", "dob": "DOB"}),
        (
            ["id", "name", "first_name", "surname"],
            {"first_name": "first_name", "surname": "surname"},
        ),
    ],
)
def test_columns_are_recognised_by_their_common_names(
    headers: list[str], expected: dict[str, str]
) -> None:
    assert recognise_columns(headers, headers[0]) == expected


def test_the_id_column_is_never_taken_for_a_field() -> None:
    assert recognise_columns(["name", "surname"], "name") == {"surname": "surname"}


def test_map_reads_fields_and_repeated_extras() -> None:
    fields, extras = parse_map("first_name=fn, surname=sn,dob=born,extra=birth_place,extra=job")
    assert fields == {"first_name": "fn", "surname": "sn", "dob": "born"}
    assert extras == ("birth_place", "job")


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("frist_name=fn", "no field 'frist_name'"),
        ("first_name", "not FIELD=COLUMN"),
        ("dob=a,dob=b", "twice"),
        ("surname=", "not FIELD=COLUMN"),
    ],
)
def test_a_bad_map_says_what_is_wrong(text: str, complaint: str) -> None:
    with pytest.raises(InvalidInput, match=complaint):
        parse_map(text)


def test_a_map_naming_a_missing_column_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no column 'born'"):
        make_column_map(["id", "first_name"], "id", {"dob": "born"}, ())
    with pytest.raises(InvalidInput, match="no column 'ref'"):
        make_column_map(["id", "first_name"], "ref", {}, ())


def test_duplicate_and_missing_ids_are_refused_without_echoing_them() -> None:
    with pytest.raises(InvalidInput, match="1 record ids are repeated") as caught:
        make_records(
            [
                {"unique_id": "Jordan Smith", "surname": "a"},
                {"unique_id": "Jordan Smith", "surname": "b"},
            ]
        )
    assert "Jordan" not in str(caught.value)
    with pytest.raises(InvalidInput, match="have no id"):
        make_records([{"unique_id": None, "surname": "a"}])
    with pytest.raises(InvalidInput, match="no 'unique_id' column"):
        make_records([{"surname": "a"}])


def test_values_are_normalised_once_each_and_unreadable_ones_counted() -> None:
    calls: list[str] = []

    def upper(value: str) -> str | None:
        calls.append(value)
        return None if value == "bad" else value.upper()

    table = pa.table({"unique_id": ["1", "2", "3", "4"], "surname": ["a", "a", "bad", None]})
    normalised, report = normalise_records(table, {"surname": upper})
    assert normalised.column("surname").to_pylist() == ["A", "A", None, None]
    assert sorted(calls) == ["a", "bad"]
    assert report.caveats == ("1 surname values could not be read and were treated as missing",)


def test_features_split_partial_dates_and_postcodes() -> None:
    features = make_features(
        [
            {"unique_id": "1", "first_name": "Bill", "dob": "2009-04-03", "postcode": "SW1A 1AA"},
            {"unique_id": "2", "first_name": "william", "dob": "2009-04", "postcode": "SW1A"},
            {"unique_id": "3", "first_name": None, "dob": "2009", "postcode": None},
        ]
    )
    table = features.table.to_pydict()
    assert table["first_name"] == ["bill", "william", None]
    assert table["dob_year"] == [2009, 2009, 2009]
    assert table["dob_month"] == [4, 4, None]
    assert table["dob_day"] == [3, None, None]
    assert table["dob_full"] == ["2009-04-03", None, None]
    assert table["postcode_district"] == ["SW1A", "SW1A", None]
    assert table["postcode_sector"] == ["SW1A 1", None, None]
    assert "william" in table["first_name_variants"][0]
    assert features.fields == ("first_name", "dob", "postcode")
    assert table["surname"] == [None, None, None]  # absent fields become empty columns


@pytest.mark.parametrize(
    ("left", "right", "related"),
    [
        ("bill", "william", True),
        ("jay", "jordan", True),
        ("ty", "tyrone", True),
        ("mo", "muhammad", True),
        ("wally", "walter", True),
        ("robert", "william", False),  # both "bill", but not each other's
        ("jordan", "james", False),
    ],
)
def test_name_variants_are_direct_relations_either_way(
    left: str, right: str, related: bool
) -> None:
    assert are_variants(left, right) is related
    assert are_variants(right, left) is related
    assert left in name_variants(left)


def test_phonetic_keys_ignore_punctuation_and_spelling() -> None:
    assert phonetic_key("o'brien") == phonetic_key("obrien")
    assert phonetic_key("smyth") == phonetic_key("smith")
    assert phonetic_key("jordan") != phonetic_key("jamal")
