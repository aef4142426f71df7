"""The search index over what was ingested: kept up to date after every ingest and erasure.

The index is derived data (DESIGN.md): rebuilt from statements, never the source of truth. It
is refreshed in steps of committed transactions, so an interrupted refresh resumes where it
stopped and loses nothing already indexed.
"""

from __future__ import annotations

from collections.abc import Callable

from linemap.intake.term import INDEXED, Query, make_terms, sound
from linemap.store.search import Hit, Part, SearchRepository, Term, tidy
from linemap.store.unit_of_work import UnitOfWork

STEP_RECORDS = 50_000
# A search matching more people than this is too broad to show: the caller is told to narrow it.
MAX_MATCHES = 5_000


def refresh_index(uow: UnitOfWork, progress: Callable[[int, int], None] | None = None) -> int:
    """Index every source record ingested since the last refresh; return how many were new."""
    with uow.read() as tx:
        start, last = tx.search.head(), tx.search.last_record_id()
    done = start
    while done < last:
        until = min(last, done + STEP_RECORDS)
        with uow.write() as tx:
            rows: list[tuple[str, str, str, int]] = []
            superseded: set[int] = set()
            for record_id, supersedes, entity_id, schema, prop, value in tx.search.iter_unindexed(
                done, until, INDEXED
            ):
                if supersedes:
                    superseded.add(supersedes)
                rows.extend(
                    (term, field, entity_id, record_id)
                    for field, term in make_terms(schema, prop, value)
                )
            tx.search.purge(sorted(superseded))
            tx.search.add_terms(rows)
            tx.search.set_head(until)
        done = until
        if progress:
            progress(done - start, last - start)
    if last > start:
        tidy(uow.engine)
    return last - start


def find(search: SearchRepository, query: Query) -> tuple[list[Hit], bool]:
    """Return (entity id, record id) of people, addresses and phones matching every part.

    Names and a date of birth must match the same person; a postcode, district or phone must
    appear in the same source record. The flag says more matched than MAX_MATCHES: the search
    is too broad to show in full and should be narrowed.
    """
    people: list[Part] = []
    for token in query.names:
        key = sound(token)
        name = Term("name", (token,)) if len(token) < 3 else Term("name", prefix=token)
        people.append([name, Term("sound", (key,))] if key else [name])
    if query.birth_date:
        given = query.birth_date
        coarser = (given[:4], given[:7]) if len(given) > 4 else ()
        people.append([Term("dob", coarser, prefix=given)])
    records: list[Part] = [
        [Term(field, (value,))]
        for field, value in (
            ("postcode", query.postcode),
            ("district", query.district),
            ("phone", query.phone),
        )
        if value
    ]
    return search.find(people, records, MAX_MATCHES)
