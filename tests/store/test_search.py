"""The search index's reads of what to index: the same rows as the records' own statements."""

from __future__ import annotations

import pytest

from linemap.intake.term import INDEXED
from linemap.store.unit_of_work import Transaction, UnitOfWork

Row = tuple[int, int | None, str, str, str, str]


def _expected(tx: Transaction, after: int, until: int) -> list[Row]:
    """Build the rows to index from each record's statements, one record at a time."""
    rows = []
    for record_id in range(after + 1, until + 1):
        info = tx.records.get_record(record_id)
        if info.erased_at:
            continue
        rows += [
            (info.id, info.supersedes_id, s.entity_id, s.schema, s.prop, s.value)
            for s in tx.records.statements(record_id)
            if s.prop in INDEXED.get(s.schema, ())
        ]
    return rows


@pytest.mark.parametrize(("after", "until"), [(0, 6), (1, 4), (3, 6), (5, 6), (6, 6), (1, 2)])
def test_unindexed_rows_are_the_records_own_statements(
    history: UnitOfWork, after: int, until: int
) -> None:
    with history.read() as tx:
        found = list(tx.search.iter_unindexed(after, until, INDEXED))
        expected = _expected(tx, after, until)
    assert found == expected
    if (after, until) == (0, 6):
        assert {r[0] for r in found} == {1, 3, 4, 5, 6}  # 2 was erased
        assert {r[1] for r in found if r[0] == 4} == {1}  # the new version names the old
        assert {r[3] for r in found} == {"Person", "Address", "Phone"}
