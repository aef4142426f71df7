"""Search over the index: every part must match, intersected before any limit, never silently
truncated. Index rows are written directly: these tests are about the lookup, not the ingest."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import text

from linemap.intake.term import Query, sound
from linemap.services import directory, intake, search
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import register_row, write_csv

Row = tuple[str, str, str, int]  # (term, field, entity id, record id)
Hit = tuple[str, int]


def _person(entity_id: str, record_id: int, names: str, dob: str | None) -> list[Row]:
    rows = []
    for token in names.split():
        rows += [
            (token, "name", entity_id, record_id),
            (sound(token), "sound", entity_id, record_id),
        ]
    if dob:
        rows.append((dob, "dob", entity_id, record_id))
    return rows


def _index(uow: UnitOfWork, rows: list[Row]) -> None:
    with uow.write() as tx:
        tx.search.add_terms(rows)


def _find(uow: UnitOfWork, query: Query) -> tuple[list[Hit], bool]:
    with uow.read() as tx:
        return search.find(tx.search, query)


def test_a_part_matching_more_than_the_limit_loses_nobody(uow: UnitOfWork) -> None:
    # More rows match "smith" than MAX_MATCHES, and the one person born in 2009 sorts after
    # all of them (highest entity and record ids): a limit on that part alone would drop them.
    many = search.MAX_MATCHES + 1_000
    rows = [r for n in range(many) for r in _person(f"A:{n:06d}#p", n + 1, "smith", "2010-01-01")]
    wanted = (f"A:{many:06d}#p", many + 1)
    rows += _person(*wanted, "jo smith", "2009-04-03")
    _index(uow, rows)
    assert _find(uow, Query(names=["smith"], birth_date="2009")) == ([wanted], False)
    assert _find(uow, Query(names=["smith", "jo"])) == ([wanted], False)
    assert _find(uow, Query(names=["smyth"], birth_date="2009-04-03")) == ([wanted], False)


def test_a_search_matching_more_than_the_limit_says_so(uow: UnitOfWork) -> None:
    many = search.MAX_MATCHES + 10
    _index(uow, [r for n in range(many) for r in _person(f"A:{n:06d}#p", n + 1, "smith", None)])
    hits, truncated = _find(uow, Query(names=["smith"]))
    assert truncated
    assert hits == [(f"A:{n:06d}#p", n + 1) for n in range(search.MAX_MATCHES)]
    hits, truncated = _find(uow, Query(names=["smith"], birth_date="2010"))
    assert (hits, truncated) == ([], False)


NAMES = ["jo", "john", "jon", "joan", "smith", "smyth", "sam", "riley"]
DOBS = ["2009", "2009-04", "2009-04-03", "2009-05-01", "2010-04-03", None]
POSTCODES = [("ct91aa", "ct9"), ("ct95ad", "ct9"), ("me71aa", "me7")]
PHONES = ["+447700900123", "+447700900456"]


def _region(rng: random.Random) -> list[Row]:
    """Twelve records with up to three people each, an address and sometimes a phone."""
    rows: list[Row] = []
    for record_id in range(1, 13):
        for n in range(rng.randint(0, 3)):
            names = " ".join(rng.sample(NAMES, rng.randint(1, 3)))
            rows += _person(f"R:{record_id}#p{n}", record_id, names, rng.choice(DOBS))
        postcode, district = rng.choice(POSTCODES)
        rows += [
            (postcode, "postcode", f"R:{record_id}#a", record_id),
            (district, "district", f"R:{record_id}#a", record_id),
        ]
        if rng.random() < 0.5:
            rows.append((rng.choice(PHONES), "phone", f"R:{record_id}#t", record_id))
    return rows


def _rows_matching(rows: list[Row], *alternatives: tuple[str, set[str], str | None]) -> set[Hit]:
    """Return (entity, record) of rows whose field is one given and term equals one of its
    values or starts with its prefix."""
    return {
        (e, r)
        for t, f, e, r in rows
        for field, equals, prefix in alternatives
        if f == field and (t in equals or (prefix is not None and t.startswith(prefix)))
    }


def _oracle(rows: list[Row], query: Query, limit: int) -> tuple[list[Hit], bool]:
    """The documented meaning of a search, evaluated row by row."""
    people = [
        _rows_matching(
            rows,
            ("name", {token}, None) if len(token) < 3 else ("name", set(), token),
            ("sound", {sound(token)}, None),
        )
        for token in query.names
    ]
    if given := query.birth_date:
        coarser = {given[:4], given[:7]} if len(given) > 4 else set()
        people.append(_rows_matching(rows, ("dob", coarser, given)))
    parts = [
        _rows_matching(rows, (field, {value}, None))
        for field, value in (
            ("postcode", query.postcode),
            ("district", query.district),
            ("phone", query.phone),
        )
        if value
    ]
    hits = set.intersection(*people) if people else set().union(*parts)
    for part in parts:
        hits = {h for h in hits if h[1] in {r for _, r in part}}
    ordered = sorted(hits, key=lambda h: (h[1], h[0]))
    return ordered[:limit], len(ordered) > limit


def _query(rng: random.Random) -> Query:
    tokens = [rng.choice([*NAMES, "smi", "joh", "sm"]) for _ in range(rng.randint(0, 2))]
    postcode, district = rng.choice(POSTCODES)
    query = Query(
        names=tokens,
        birth_date=rng.choice(DOBS) if rng.random() < 0.4 else None,
        postcode=postcode if rng.random() < 0.25 else None,
        district=district if rng.random() < 0.25 else None,
        phone=rng.choice(PHONES) if rng.random() < 0.25 else None,
    )
    return query if not query.empty else Query(postcode=postcode)


@pytest.mark.parametrize("limit", [search.MAX_MATCHES, 3])
def test_search_means_what_it_says_on_random_indexes(
    uow: UnitOfWork, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "MAX_MATCHES", limit)
    rng = random.Random(4)
    rows = _region(rng)
    _index(uow, rows)
    found_any = truncated_any = False
    for _ in range(150):
        query = _query(rng)
        expected = _oracle(rows, query, limit)
        assert _find(uow, query) == expected, query
        found_any |= bool(expected[0])
        truncated_any |= expected[1]
    assert found_any
    assert truncated_any == (limit == 3)


def test_a_refresh_leaves_the_index_readable_from_the_index_alone(
    uow: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    if uow.engine.dialect.name != "postgresql":
        pytest.skip("the visibility map is PostgreSQL's")
    directory.add_agency(uow, "admin", "KENTPOL", "Kent Police", "police", "Kent")
    rows = [register_row(f"P{n}") for n in range(20)]
    intake.ingest(uow, settings, write_csv(tmp_path / "r.csv", rows), "KENTPOL", "person-register")
    assert search.refresh_index(uow) == 20
    with uow.read() as tx:  # VACUUM marked the pages all-visible: index-only scans skip them
        visible = tx.connection.execute(
            text("SELECT relallvisible FROM pg_class WHERE relname = 'search_term'")
        ).scalar_one()
    assert visible > 0
    assert _find(uow, Query(names=["jordan"]))[0][0][1] == 1
    with uow.read() as tx:  # ANALYZE told the planner how many records and statements there are
        counted = dict(
            tx.connection.execute(
                text(
                    "SELECT relname, reltuples FROM pg_class"
                    " WHERE relname IN ('source_record', 'statement', 'qualifier')"
                )
            ).all()
        )
    assert counted["source_record"] == 20
    assert counted["statement"] > 20
    assert counted["qualifier"] >= 1
