"""A merge never widens access: a person assembled from several agencies' records shows each
reader exactly the union of what they could read in those records one by one, never more."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from linemap.errors import Forbidden, NotFound
from linemap.governance.actor import Actor
from linemap.services import casework
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import READER_ACCOUNTS, TODAY, store_run

Seen = set[tuple[str, str, str]]  # (property, value, agency)


def _seen_alone(uow: UnitOfWork, actor: Actor, entity_id: str, record_id: int) -> Seen | None:
    """What the reader sees of one mention in its record alone (None: may not open it)."""
    try:
        view = casework.record(uow, actor, record_id, None, TODAY)
    except (Forbidden, NotFound):
        return None
    entity = next(e for e in view.entities if e.id == entity_id)
    return {(p, s.value, s.agency) for p, shown in entity.properties.items() for s in shown}


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(st.integers(min_value=0, max_value=2), min_size=6, max_size=6),
    reader=st.sampled_from(sorted(READER_ACCOUNTS)),
)
def test_a_merged_profile_shows_the_union_of_what_each_record_shows(
    agencies_with_records: UnitOfWork, people: list[int], reader: str
) -> None:
    uow = agencies_with_records
    actor = READER_ACCOUNTS[reader]
    members = store_run(uow, people)
    alone = {entity: _seen_alone(uow, actor, entity, record) for entity, record, _ in members}
    for entity, _record, person in members:
        if alone[entity] is None:
            with pytest.raises((Forbidden, NotFound)):
                casework.profile(uow, actor, entity, None, TODAY)
            continue
        profile = casework.profile(uow, actor, entity, None, TODAY)
        shown = {
            (p, s.value, s.agency)
            for p, values in profile.person.properties.items()
            for s in values
        }
        expected: Seen = set()
        for other, _, same in members:
            if same == person and alone[other] is not None:
                expected |= alone[other]  # type: ignore[arg-type]
        assert shown == expected
        withheld = {r for o, r, same in members if same == person and alone[o] is None}
        assert sum(d.records for d in profile.discoveries) == len(withheld)
