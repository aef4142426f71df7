"""Disruption needs its safeguarding impact and a second person to approve; MACE actions
escalate while overdue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from linemap.errors import Forbidden, InvalidInput, NotFound
from linemap.safeguard import disruption
from linemap.safeguard.mace import Action, Escalation
from linemap.safeguard.machine import Decider

TODAY = date(2026, 11, 27)
DI = Decider("d.inspector", "police_intelligence")
SUPT = Decider("s.superintendent", "police_intelligence")


def test_every_tactic_states_its_law_and_test() -> None:
    assert {t.id for t in disruption.TACTICS} >= {"ddtro", "closure-order", "ccepo", "msa-charge"}
    for tactic in disruption.TACTICS:
        assert tactic.law
        assert tactic.test
    with pytest.raises(NotFound, match="the register has ddtro"):
        disruption.tactic("curfew")


def test_a_proposal_needs_targets_and_its_safeguarding_impact() -> None:
    with pytest.raises(InvalidInput, match="safeguarding impact"):
        disruption.propose("ddtro", DI, TODAY, line="L0001", people=(), safeguarding_impact=" ")
    with pytest.raises(InvalidInput, match="line or the people"):
        disruption.propose("ddtro", DI, TODAY, line=None, people=(), safeguarding_impact="x")
    case = disruption.propose(
        "ddtro",
        DI,
        TODAY,
        line="L0001",
        people=("P3-MPS:INT-1#p",),
        safeguarding_impact="two children run the line: refer both before the order",
    )
    assert case.state == "proposed"
    assert case.steps[0].details["tactic"] == "ddtro"


def test_approval_is_by_another_person_and_the_case_runs_to_its_end() -> None:
    case = disruption.propose(
        "closure-order", DI, TODAY, line="L0002", people=(), safeguarding_impact="resident first"
    )
    with pytest.raises(Forbidden, match="another person"):
        disruption.approve(case, DI, TODAY)
    case = disruption.approve(case, SUPT, TODAY)
    case = case.take("apply", DI, TODAY + timedelta(days=1))
    case = case.take("grant", DI, TODAY + timedelta(days=2))
    assert case.state == "in_force"
    assert case.take("end", DI, TODAY + timedelta(days=90), "order expired").closed


def test_an_overdue_action_escalates_step_by_step() -> None:
    action = Action("MACE-2026-11", "visit P3 at home", "KENT-CSC", "a.worker", TODAY)
    assert action.escalation(TODAY) is None
    assert action.escalation(TODAY + timedelta(days=1)) is Escalation.OWNER_MANAGER
    assert action.escalation(TODAY + timedelta(days=8)) is Escalation.MACE_CHAIR
    assert action.escalation(TODAY + timedelta(days=40)) is Escalation.STRATEGIC
    assert action.complete(TODAY + timedelta(days=3)).escalation(TODAY + timedelta(days=40)) is None
    with pytest.raises(InvalidInput, match="named owner"):
        Action("MACE-2026-11", "visit", "KENT-CSC", " ", TODAY)
