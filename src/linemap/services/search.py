"""The search index over what was ingested: kept up to date after every ingest and erasure.

The index is derived data (DESIGN.md): rebuilt from statements, never the source of truth. It
is refreshed in steps of committed transactions, so an interrupted refresh resumes where it
stopped and loses nothing already indexed.
"""

from __future__ import annotations

from collections.abc import Callable

from linemap.intake.term import INDEXED, Query, make_terms, sound
from linemap.store.search import MAX_MATCHES, SearchRepository
from linemap.store.unit_of_work import UnitOfWork

STEP_RECORDS = 50_000
Hit = tuple[str, int]  # (entity id, source record id)


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
    return last - start


def find(search: SearchRepository, query: Query) -> tuple[list[Hit], bool]:
    """Return (entity id, record id) of people, addresses and phones matching every part.

    Names and a date of birth must match the same person; a postcode, district or phone must
    appear in the same source record. The flag says some part matched too many to show all.
    """
    people: set[Hit] | None = None
    for token in query.names:
        key = sound(token)
        found = search.match(
            "name",
            equals=[token] if len(token) < 3 else (),
            prefix=token if len(token) >= 3 else None,
            alternative=("sound", key) if key else None,
        )
        people = found if people is None else people & found
    if query.birth_date:
        given = query.birth_date
        coarser = [given[:4], given[:7]] if len(given) > 4 else []
        found = search.match("dob", equals=coarser, prefix=given)
        people = found if people is None else people & found
    others = [
        search.match(field, equals=[value])
        for field, value in (
            ("postcode", query.postcode),
            ("district", query.district),
            ("phone", query.phone),
        )
        if value
    ]
    truncated = any(len(part) >= MAX_MATCHES for part in [*others, *([people] if people else [])])
    if people is None:
        if not others:
            return [], truncated
        records = set.intersection(*({r for _, r in part} for part in others))
        hits = {h for part in others for h in part if h[1] in records}
    else:
        hits = people
        for part in others:
            records = {r for _, r in part}
            hits = {h for h in hits if h[1] in records}
    return sorted(hits, key=lambda h: (h[1], h[0])), truncated
