"""A merge never widens access: a person assembled from several agencies' records shows each
reader exactly the union of what they could read in those records one by one, never more."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from linemap.errors import Forbidden, NotFound
from linemap.governance.actor import Actor
from linemap.model.vocabulary import Role
from linemap.services import casework, directory, intake, search, sharing
from linemap.services.mention import iter_mentions
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import register_row, write_csv

TODAY = date(2026, 11, 26)
Seen = set[tuple[str, str, str]]  # (property, value, agency)


@pytest.fixture
def agencies_with_records(uow: UnitOfWork, settings: Settings, tmp_path: Path) -> UnitOfWork:
    """Three agencies with two register records each, one ISA in force and one expired."""
    for code, name, kind in (
        ("KENTPOL", "Kent Police", "police"),
        ("KENTCSC", "Kent Children's Services", "childrens_social_care"),
        ("THANETH", "Thanet Housing", "housing"),
    ):
        directory.add_agency(
            uow, "admin", code, name, kind, "Kent", f"share@{code.lower()}.example"
        )
        rows = [
            register_row(f"{code}-1", forename="Jordan", surname="Example"),
            register_row(f"{code}-2", forename="Jordon", surname="Exampel", date_of_birth="2009"),
        ]
        path = write_csv(tmp_path / f"{code}.csv", rows)
        intake.ingest(uow, settings, path, code, "person-register")
    search.refresh_index(uow)
    for code, parties, end in (
        ("ISA-CE", ["KENTPOL", "KENTCSC"], TODAY + timedelta(days=30)),
        ("ISA-OLD", ["KENTPOL", "THANETH"], TODAY - timedelta(days=1)),
    ):
        sharing.add_isa(
            uow,
            None,
            code=code,
            purpose="Safeguarding children from criminal exploitation",
            lawful_basis="DPA 2018 Sch 8 para 4",
            parties=parties,
            roles=["practitioner", "analyst"],
            record_kinds=["person-register"],
            start=TODAY - timedelta(days=60),
            end=end,
        )
    return uow


READER_ACCOUNTS = {
    "pol.analyst": Actor(1, "pol.analyst", "KENTPOL", Role.ANALYST, True),
    "csc.worker": Actor(2, "csc.worker", "KENTCSC", Role.PRACTITIONER, True),
    "csc.chair": Actor(3, "csc.chair", "KENTCSC", Role.MACE_CHAIR, True),
    "housing.officer": Actor(4, "housing.officer", "THANETH", Role.PRACTITIONER, True),
}


def _seen_alone(uow: UnitOfWork, actor: Actor, entity_id: str, record_id: int) -> Seen | None:
    """What the reader sees of one mention in its record alone (None: may not open it)."""
    try:
        view = casework.record(uow, actor, record_id, None, TODAY)
    except (Forbidden, NotFound):
        return None
    entity = next(e for e in view.entities if e.id == entity_id)
    return {(p, s.value, s.agency) for p, shown in entity.properties.items() for s in shown}


def _store_run(uow: UnitOfWork, people: list[int]) -> list[tuple[str, int, str]]:
    """Store a run putting mention i into person people[i]; return (entity, record, person)."""
    with uow.write() as tx:
        mentions = sorted(iter_mentions(tx), key=lambda m: m.record_id)
        run = tx.resolution.add_run(
            started_at="2026-11-26T09:00:00+00:00",
            actor="test",
            backend="duckdb",
            model="{}",
            model_digest="0" * 64,
            trained_in_run=None,
            threshold=0.95,
        )
        members = [
            (m.entity_id, m.record_id, f"P{run}-{people[i]}") for i, m in enumerate(mentions)
        ]
        tx.resolution.add_members([(run, e, p, r, True) for e, r, p in members])
        tx.resolution.finish_run(run, "2026-11-26T09:00:01+00:00", len(mentions), len(set(people)))
    return members


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
    members = _store_run(uow, people)
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
