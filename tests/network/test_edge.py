"""Edge lists: columns recognised or named, rows read into links, errors by line number."""

from __future__ import annotations

import pytest

from linemap.errors import InvalidInput
from linemap.network.edge import EdgeColumns, EdgeList, find_columns, read_edges


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["source", "target", "weight"], EdgeColumns(0, 1, 2)),
        (["From", "To", "Calls"], EdgeColumns(0, 1, 2)),
        (["id", "TO", "from"], EdgeColumns(2, 1, None)),
        (["Caller", "Receiver", "Count", "when"], EdgeColumns(0, 1, 2)),
    ],
)
def test_common_column_names_are_recognised(header: list[str], expected: EdgeColumns) -> None:
    assert find_columns(header) == expected


def test_named_columns_win_and_match_without_case() -> None:
    header = ["a", "b", "calls", "strength", "Wave"]
    columns = find_columns(header, source="A", target="b", weight="strength", phase="wave")
    assert columns == EdgeColumns(0, 1, 3, 4)


def test_a_missing_column_is_named_and_its_value_never_shown() -> None:
    with pytest.raises(InvalidInput, match="no column 'caller'"):
        find_columns(["from", "to"], source="caller")
    with pytest.raises(InvalidInput, match="--target-column"):
        find_columns(["from", "other"])
    with pytest.raises(InvalidInput, match="must differ"):
        find_columns(["from", "to"], source="from", target="from")


def numbered(*rows: list[str]) -> list[tuple[int, list[str]]]:
    return [(line, row) for line, row in enumerate(rows, start=2)]


def test_rows_become_links_with_weight_one_by_default() -> None:
    edges = read_edges(numbered(["a", " b "], [], ["b", "c"]), EdgeColumns(0, 1))
    assert edges == EdgeList(("a", "b"), ("b", "c"), (1.0, 1.0))


def test_zero_weights_are_left_out_and_counted() -> None:
    edges = read_edges(numbered(["a", "b", "0"], ["a", "c", "2.5"]), EdgeColumns(0, 1, 2))
    assert edges.weights == (2.5,)
    assert edges.zero_weight_rows == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["x", "y", "three"], "line 3: the weight is not a number"),
        (["x", "y", ""], "line 3: the weight is not a number"),
        (["x", "y", "-1"], "line 3: the weight must be"),
        (["x", "y", "inf"], "line 3: the weight must be"),
        (["x", ""], "line 3 has 2 cells"),
        (["", "y", "1"], "line 3: a link needs both ends"),
    ],
)
def test_bad_rows_are_refused_by_line_number(row: list[str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        read_edges(numbered(["a", "b", "1"], row), EdgeColumns(0, 1, 2))
    assert "three" not in str(caught.value)


def test_phases_are_read_and_must_be_given() -> None:
    edges = read_edges(numbered(["a", "b", "1"], ["b", "c", "2"]), EdgeColumns(0, 1, phase=2))
    assert edges.phases == ("1", "2")
    assert edges.select([1]) == EdgeList(("b",), ("c",), (1.0,), ("2",))
    with pytest.raises(InvalidInput, match="line 2: the phase is empty"):
        read_edges(numbered(["a", "b", " "]), EdgeColumns(0, 1, phase=2))
