"""Reading records in batches: markings and statements, the same as record by record."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from linemap.errors import NotFound
from linemap.store import span
from linemap.store.tables import statement
from linemap.store.unit_of_work import UnitOfWork

IDS = [6, 1, 2, 3, 4, 5, 99]  # unordered, with an erased record (2) and an unknown one (99)


@pytest.mark.parametrize("chunk", [200, 2])
def test_markings_name_the_agency_mapping_and_qualifiers(
    history: UnitOfWork, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(span, "CHUNK", chunk)
    with history.read() as tx:
        found = tx.records.markings(IDS)
        expected = {r: {s.qualifier.key for s in tx.records.statements(r)} for r in (1, 3, 4, 5, 6)}
    assert sorted(found) == [1, 3, 4, 5, 6]  # erased and unknown records hold nothing
    assert {r: found[r].agency_code for r in found} == {
        1: "KENTPOL",
        3: "KENTPOL",
        4: "KENTPOL",
        5: "KENTPOL",
        6: "SCH1",
    }
    assert {m.mapping for m in found.values()} == {"person-register"}
    for record_id, keys in expected.items():
        qualifiers = found[record_id].qualifiers
        assert len(qualifiers) == len(set(qualifiers))
        assert set(qualifiers) == keys
    assert any(len(found[r].qualifiers) > 1 for r in found)  # the witness row differs


@pytest.mark.parametrize("chunk", [200, 2])
def test_statements_of_many_records_match_one_by_one(
    history: UnitOfWork, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(span, "CHUNK", chunk)
    with history.read() as tx:
        together = tx.records.statements_of(IDS)
        one_by_one = {r: tx.records.statements(r) for r in (1, 2, 3, 4, 5, 6)}
        stored = {  # straight from the table, by the column the ingest writes
            r: tx.connection.execute(
                select(statement.c.id, statement.c.prop, statement.c.value)
                .where(statement.c.source_record_id == r)
                .order_by(statement.c.id)
            ).all()
            for r in (1, 2, 3, 4, 5, 6)
        }
        with pytest.raises(NotFound, match="no source record with id 99"):
            tx.records.statements(99)
    assert together == one_by_one
    assert {r: [(s.id, s.prop, s.value) for s in v] for r, v in together.items()} == {
        r: [tuple(row) for row in rows] for r, rows in stored.items()
    }
    assert together[2] == []  # erased: the record is known, its statements are gone
    assert {s.source_record_id for s in together[4]} == {4}


def test_statements_of_chosen_entities_are_theirs_alone(history: UnitOfWork) -> None:
    with history.read() as tx:
        everything = tx.records.statements_of([1, 4, 6])
        person = next(s.entity_id for s in everything[4] if s.schema == "Person")
        chosen = tx.records.statements_of([1, 4, 6], {person, "KENTPOL:P1#nobody"})
    assert chosen == {
        1: [s for s in everything[1] if s.entity_id == person],  # the same person, version 1
        4: [s for s in everything[4] if s.entity_id == person],
        6: [],
    }
    assert chosen[1]
    assert 0 < len(chosen[4]) < len(everything[4])
