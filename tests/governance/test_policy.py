"""The access policy against hand cases and an independent reference model (R11-R16)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linemap.errors import InvalidInput
from linemap.governance.actor import Actor
from linemap.governance.policy import (
    Isa,
    Marking,
    Operation,
    Recipient,
    check_isa,
    decide,
    field_visible,
    may_audit,
    recipient,
)
from linemap.model.schema import schemata
from linemap.model.vocabulary import AgencyKind, DataSubjectCategory, HandlingCode, Role, Tlp

TODAY = date(2026, 11, 26)
AGENCIES = {
    "POL": AgencyKind.POLICE,
    "CSC": AgencyKind.CHILDRENS_SOCIAL_CARE,
    "EDU": AgencyKind.EDUCATION,
    "NHS": AgencyKind.HEALTH,
    "HOUSING": AgencyKind.HOUSING,
    "VCS": AgencyKind.VOLUNTARY,
}
KINDS = ("police-intelligence", "missing-episode", "school-attendance", "housing-asb-cuckooing")


def _actor(agency: str = "CSC", role: Role = Role.PRACTITIONER, active: bool = True) -> Actor:
    return Actor(1, "a.worker", agency, role, active)


def _isa(**changes: object) -> Isa:
    base = Isa(
        1,
        "ISA-1",
        "Safeguarding children at risk of criminal exploitation",
        "DPA 2018 Sch 8 para 4",
        frozenset({"POL", "CSC"}),
        frozenset({Role.PRACTITIONER, Role.ANALYST}),
        frozenset({"police-intelligence", "missing-episode"}),
        TODAY - timedelta(days=30),
        TODAY + timedelta(days=30),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _marking(**changes: object) -> Marking:
    base = Marking("POL", "police-intelligence", Tlp.AMBER, HandlingCode.P)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_own_agency_reads_its_records_even_red() -> None:
    decision = decide(_actor("POL"), Operation.READ, _marking(tlp=Tlp.RED), [], TODAY)
    assert decision.allowed
    assert decision.reason == "own agency"


def test_default_deny_without_an_agreement() -> None:
    assert not decide(_actor(), Operation.READ, _marking(), [], TODAY).allowed


def test_agreement_in_force_allows_and_names_itself() -> None:
    decision = decide(_actor(), Operation.READ, _marking(), [_isa()], TODAY)
    assert decision.allowed
    assert decision.isa == "ISA-1"


def test_expired_agreement_stops_access_at_once() -> None:
    expired = _isa(end=TODAY - timedelta(days=1))
    assert not decide(_actor(), Operation.READ, _marking(), [expired], TODAY).allowed
    assert decide(
        _actor(), Operation.READ, _marking(), [expired], TODAY - timedelta(days=1)
    ).allowed


@pytest.mark.parametrize("tlp", [Tlp.RED, Tlp.AMBER_STRICT])
def test_red_and_amber_strict_never_leave_the_agency(tlp: Tlp) -> None:
    wide = _isa(max_tlp=Tlp.AMBER)
    assert not decide(_actor(), Operation.READ, _marking(tlp=tlp), [wide], TODAY).allowed


def test_isa_max_tlp_limits_what_travels() -> None:
    green_only = _isa(max_tlp=Tlp.GREEN)
    assert not decide(
        _actor(), Operation.READ, _marking(tlp=Tlp.AMBER), [green_only], TODAY
    ).allowed
    assert decide(_actor(), Operation.READ, _marking(tlp=Tlp.GREEN), [green_only], TODAY).allowed


def test_role_and_kind_outside_the_agreement_are_refused() -> None:
    mace = _actor(role=Role.MACE_CHAIR)
    assert not decide(mace, Operation.READ, _marking(), [_isa()], TODAY).allowed
    other_kind = _marking(kind="custody-arrest")
    assert not decide(_actor(), Operation.READ, other_kind, [_isa()], TODAY).allowed


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR])
def test_administrators_and_auditors_read_no_personal_data(role: Role) -> None:
    own = _actor("POL", role)
    assert not decide(own, Operation.READ, _marking(), [_isa()], TODAY).allowed


def test_handling_c_shows_conditions_and_blocks_export() -> None:
    marked = _marking(handling=HandlingCode.C, conditions=("Do not disclose to the subject",))
    read = decide(_actor(), Operation.READ, marked, [_isa()], TODAY)
    assert read.allowed
    assert read.conditions == ("Do not disclose to the subject",)
    assert not decide(_actor("POL"), Operation.EXPORT, marked, [], TODAY).allowed


def test_disabled_account_reads_nothing() -> None:
    assert not decide(_actor("POL", active=False), Operation.READ, _marking(), [], TODAY).allowed


def test_ingest_only_into_own_agency_by_casework_roles() -> None:
    assert decide(_actor("POL", Role.ANALYST), Operation.INGEST, _marking(), [], TODAY).allowed
    assert not decide(
        _actor("CSC", Role.ANALYST), Operation.INGEST, _marking(), [_isa()], TODAY
    ).allowed
    assert not decide(
        _actor("POL", Role.ADMINISTRATOR), Operation.INGEST, _marking(), [], TODAY
    ).allowed


def test_marking_combines_to_the_most_restrictive() -> None:
    combined = Marking.combine(
        "POL",
        "police-intelligence",
        [(Tlp.GREEN, HandlingCode.P, None), (Tlp.AMBER, HandlingCode.C, "No onward sharing")],
    )
    assert combined.tlp is Tlp.AMBER
    assert combined.handling is HandlingCode.C
    assert combined.conditions == ("No onward sharing",)


def test_agreements_that_would_share_too_widely_are_refused() -> None:
    with pytest.raises(InvalidInput, match="RED"):
        check_isa(_isa(max_tlp=Tlp.RED))
    with pytest.raises(InvalidInput, match="casework"):
        check_isa(_isa(roles=frozenset({Role.ADMINISTRATOR})))
    with pytest.raises(InvalidInput, match="two agencies"):
        check_isa(_isa(parties=frozenset({"POL"})))


def test_nobody_audits_their_own_activity() -> None:
    auditor = Actor(9, "an.auditor", "POL", Role.AUDITOR, True)
    assert may_audit(auditor, "someone.else")
    assert not may_audit(auditor, "an.auditor")
    assert not may_audit(_actor("POL", Role.ANALYST), "someone.else")


# --- an independent reference model, written as a plain rule list -------------------------------

SHARE_ORDER = {"clear": 0, "green": 1, "amber": 2}  # amber_strict and red are not shareable
FIELD_ALLOW = {
    # recipient class -> Person properties it may see outside the originating agency
    "police": {"pnc_id", "ethnicity", "upn"},
    "health": {"nhs_number", "ethnicity", "upn"},
    "statutory": {"ethnicity", "upn"},
    "community": set(),
}
ALWAYS_SHAREABLE = {
    p
    for p in schemata()["Person"].properties
    if p not in {"pnc_id", "nhs_number", "ethnicity", "upn"}
}


def reference_allows(actor: Actor, op: str, m: Marking, isas: list[Isa], today: date) -> bool:
    """Say from first principles whether the access is lawful under the configured sharing."""
    reads_data = actor.role.value in {
        "analyst",
        "practitioner",
        "police_intelligence",
        "community_partner",
        "mace_chair",
    }
    if not actor.active:
        return False
    if op == "ingest":
        return actor.role.value in {"analyst", "practitioner", "police_intelligence"} and (
            actor.agency_code == m.agency
        )
    if not reads_data:
        return False
    if op == "export" and (m.handling.value == "C" or m.tlp.value == "red"):
        return False
    if actor.agency_code == m.agency:
        return True
    if m.tlp.value not in SHARE_ORDER:
        return False
    return any(
        i.start <= today <= i.end
        and actor.agency_code in i.parties
        and m.agency in i.parties
        and actor.role in i.roles
        and m.kind in i.record_kinds
        and SHARE_ORDER[m.tlp.value] <= SHARE_ORDER[i.max_tlp.value]
        for i in isas
    )


def reference_class(actor: Actor, record_agency: str) -> str:
    if actor.agency_code == record_agency:
        return "originator"
    kind = AGENCIES[actor.agency_code]
    if actor.role.value == "community_partner" or kind.value in {"housing", "voluntary"}:
        return "community"
    return {"police": "police", "health": "health"}.get(kind.value, "statutory")


def reference_field(actor: Actor, record_agency: str, prop: str, category: str | None) -> bool:
    cls = reference_class(actor, record_agency)
    if cls == "originator":
        return True
    if category in {"witness", "not_yet_categorised"}:
        return False
    return prop in ALWAYS_SHAREABLE or prop in FIELD_ALLOW[cls]


def _random_isa(rng: random.Random, number: int) -> Isa:
    start = TODAY + timedelta(days=rng.randint(-400, 30))
    return Isa(
        number,
        f"ISA-{number}",
        "purpose",
        "basis",
        frozenset(rng.sample(sorted(AGENCIES), rng.randint(2, 4))),
        frozenset(rng.sample(sorted(Role, key=str), rng.randint(1, 5))),
        frozenset(rng.sample(KINDS, rng.randint(1, 3))),
        start,
        start + timedelta(days=rng.randint(0, 500)),
        rng.choice((Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER)),
    )


def test_ten_thousand_random_checks_agree_with_the_reference_model() -> None:
    rng = random.Random(20261126)
    denied_reads = allowed_reads = 0
    for _ in range(10_000):
        isas = [_random_isa(rng, n) for n in range(rng.randint(0, 3))]
        actor = Actor(
            1, "x.user", rng.choice(sorted(AGENCIES)), rng.choice(list(Role)), rng.random() > 0.05
        )
        marking = Marking(
            rng.choice(sorted(AGENCIES)),
            rng.choice(KINDS),
            rng.choice(list(Tlp)),
            rng.choice(list(HandlingCode)),
        )
        op = rng.choice(list(Operation))
        expected = reference_allows(actor, op.value, marking, isas, TODAY)
        assert decide(actor, op, marking, isas, TODAY).allowed == expected, (
            actor,
            op,
            marking,
            isas,
        )
        if op is Operation.READ:
            allowed_reads += expected
            denied_reads += not expected
        prop = rng.choice(sorted(schemata()["Person"].properties))
        category = rng.choice([None, *(c.value for c in DataSubjectCategory)])
        to = recipient(actor, AGENCIES[actor.agency_code], marking.agency)
        assert to.value == reference_class(actor, marking.agency)
        assert field_visible(to, prop, category) == reference_field(
            actor, marking.agency, prop, category
        ), (to, prop, category)
    # the random mix must exercise both outcomes, or the comparison proves nothing
    assert allowed_reads > 200
    assert denied_reads > 200


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False))
def test_removing_an_agreement_or_a_role_never_widens_access(rng: random.Random) -> None:
    isas = [_random_isa(rng, n) for n in range(3)]
    actor = Actor(1, "x.user", rng.choice(sorted(AGENCIES)), rng.choice(list(Role)), True)
    marking = Marking(
        rng.choice(sorted(AGENCIES)), rng.choice(KINDS), rng.choice(list(Tlp)), HandlingCode.P
    )
    before = decide(actor, Operation.READ, marking, isas, TODAY).allowed
    fewer = decide(actor, Operation.READ, marking, isas[1:], TODAY).allowed
    narrowed = [replace(i, roles=i.roles - {actor.role}) for i in isas]
    assert before or not fewer
    assert before or not decide(actor, Operation.READ, marking, narrowed, TODAY).allowed


def test_recipient_classes_follow_agency_kind_and_role() -> None:
    assert recipient(_actor("HOUSING"), AgencyKind.HOUSING, "POL") is Recipient.COMMUNITY
    partner = _actor("CSC", Role.COMMUNITY_PARTNER)
    assert recipient(partner, AgencyKind.CHILDRENS_SOCIAL_CARE, "POL") is Recipient.COMMUNITY
    assert recipient(_actor("POL"), AgencyKind.POLICE, "POL") is Recipient.ORIGINATOR
    assert not field_visible(Recipient.COMMUNITY, "ethnicity", "suspect")
    assert not field_visible(Recipient.POLICE, "surname", "witness")
    assert field_visible(Recipient.ORIGINATOR, "surname", "witness")
