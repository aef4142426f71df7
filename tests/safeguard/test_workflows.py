"""Safeguarding workflows: no sequence of actions leaves the transition tables, no step exists
without the named person who decided it, and each workflow's own rules hold."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linemap.errors import Forbidden, InvalidInput, LinemapError
from linemap.safeguard import frame, nrm, referral
from linemap.safeguard.machine import Case, Decider, Transition, Workflow
from linemap.safeguard.referral import Rag

START = date(2026, 11, 27)
SCREENER = Decider("a.screener", "practitioner")
WORKFLOWS = (referral.REFERRAL, nrm.NRM, frame.FRAME)
TODAY = date(2026, 11, 26)

attempt = st.tuples(
    st.sampled_from(
        sorted({t.action for w in WORKFLOWS for t in w.transitions} | {"delete", "reopen"})
    ),
    st.sampled_from(["", "a.worker"]),  # an empty name: no named person
    st.sampled_from(["", "practitioner", "police_intelligence"]),
    st.integers(min_value=-2, max_value=10),  # days after the last step (negative: backdated)
    st.sampled_from(["", "parent's concern confirmed at the strategy discussion"]),
)


@given(st.sampled_from(WORKFLOWS), st.lists(attempt, max_size=30))
def test_no_sequence_of_actions_leaves_the_table_or_lacks_a_named_decider(
    workflow: Workflow, attempts: list[tuple[str, str, str, int, str]]
) -> None:
    case, today = Case(workflow), START
    for action, name, role, days, reason in attempts:
        today += timedelta(days=days)
        before = case
        try:
            case = case.take(action, Decider(name, role), today, reason)
        except LinemapError:
            assert case is before  # a refused step changes nothing
            continue
        step = case.steps[-1]
        assert any(
            (t.source, t.action, t.target) == (step.source, step.action, step.target)
            for t in workflow.transitions
        )
        assert step.by.name
        assert step.by.role
    assert case.state in workflow.states
    assert case.closed == (case.state in workflow.final)
    assert all(a.on <= b.on for a, b in zip(case.steps, case.steps[1:], strict=False))


def test_a_refused_action_names_the_allowed_ones() -> None:
    with pytest.raises(InvalidInput, match="allowed: refer, decide_not_to_refer"):
        referral.identified().take("agree_plan", SCREENER, START)
    with pytest.raises(InvalidInput, match="name and role"):
        referral.identified().take("refer", Decider(" ", "practitioner"), START)


def test_a_referral_goes_to_the_home_authority_and_runs_on_timescales() -> None:
    case = referral.identified()
    assert referral.due(case) is None
    with pytest.raises(InvalidInput, match="home local authority"):
        referral.refer(case, SCREENER, START, " ")
    case = referral.refer(case, SCREENER, START, "Brent")
    assert case.steps[-1].details["local_authority"] == "Brent"
    assert referral.due(case) == START + timedelta(days=5)
    case = referral.screen(case, SCREENER, START + timedelta(days=1), Rag.RED)
    assert referral.due(case) == START + timedelta(days=2)
    assert referral.overdue(case, START + timedelta(days=3))
    assert not referral.overdue(case, START + timedelta(days=2))
    case = case.take("hold_strategy_discussion", SCREENER, START + timedelta(days=2))
    case = case.take("agree_plan", SCREENER, START + timedelta(days=2))
    assert referral.due(case) == START + timedelta(days=92)
    assert referral.retention_until(case) is None


def test_closing_with_no_further_action_is_kept_for_less_time() -> None:
    with pytest.raises(InvalidInput, match="reason"):
        referral.identified().take("decide_not_to_refer", SCREENER, START)
    not_referred = referral.identified().take(
        "decide_not_to_refer", SCREENER, START, "already open to the home authority"
    )
    planned = referral.refer(referral.identified(), SCREENER, START, "Kent")
    planned = referral.screen(planned, SCREENER, START, Rag.GREEN)
    planned = planned.take("agree_plan", SCREENER, START)
    planned = planned.take("review", SCREENER, START)
    planned = planned.take("close", SCREENER, START, "plan complete, risk reduced")
    nfa, closed = referral.retention_until(not_referred), referral.retention_until(planned)
    assert nfa is not None
    assert closed is not None
    assert nfa < closed
    assert referral.due(planned) is None


def test_an_nrm_referral_needs_an_adults_consent_but_not_a_childs() -> None:
    officer = Decider("b.officer", "police_intelligence")
    with pytest.raises(InvalidInput, match="Duty to Notify"):
        nrm.refer(
            nrm.identified(), officer, START, child=False, consent=False, first_responder="MPS"
        )
    adult = nrm.identified().take("notify_duty", officer, START)
    assert adult.state == "duty_to_notify"
    child = nrm.refer(
        nrm.identified(), officer, START, child=True, consent=False, first_responder="MPS"
    )
    assert child.state == "rg_pending"
    child = child.take("reasonable_grounds_negative", officer, START, "insufficient information")
    with pytest.raises(InvalidInput, match="First Responder or a support provider"):
        nrm.request_reconsideration(child, officer, START, "new evidence", "parent")
    child = nrm.request_reconsideration(child, officer, START, "new evidence", "first_responder")
    child = child.take("reasonable_grounds_positive", officer, START)
    child = child.take("conclusive_grounds_positive", officer, START + timedelta(days=60))
    assert child.take("close", officer, START + timedelta(days=61), "support in place").closed


def test_roles_restrict_a_transition_when_the_table_says_so() -> None:
    chair_only = Workflow(
        "mace", "open", (Transition("close", "open", "closed", roles=frozenset({"mace_chair"})),)
    )
    with pytest.raises(Forbidden, match="mace_chair"):
        Case(chair_only).take("close", SCREENER, START)
    assert Case(chair_only).take("close", Decider("c.chair", "mace_chair"), START).state == "closed"


@pytest.mark.parametrize(
    ("child", "schedule_4", "available", "says"),
    [
        (True, False, True, "direct consequence"),
        (False, False, True, "no realistic alternative"),
        (True, True, False, "Schedule 4"),
    ],
)
def test_the_section_45_defence(child: bool, schedule_4: bool, available: bool, says: str) -> None:
    found = nrm.section_45(child=child, schedule_4_offence=schedule_4)
    assert found.available is available
    assert says in found.test


def test_a_childs_frame_needs_a_request_and_another_person_in_another_role() -> None:
    worker = Decider("a.worker", "practitioner")
    case = Case(frame.FRAME)
    with pytest.raises(Forbidden, match="second approver"):
        frame.change(case, worker, TODAY, child=True, frame="dual", reason="Recruits others")
    asked = frame.request_change(case, worker, TODAY, frame="dual", reason="Recruits others")
    for same in (worker, Decider("b.worker", "practitioner"), Decider("a.worker", "mace_chair")):
        with pytest.raises(Forbidden, match="another person in another role"):
            frame.approve_change(asked, same, TODAY)
    approved = frame.approve_change(asked, Decider("c.chair", "mace_chair"), TODAY)
    assert frame.current(approved) == "dual"
    adult = frame.change(case, worker, TODAY, child=False, frame="suspect", reason="Runs the line")
    assert frame.current(adult) == "suspect"
    with pytest.raises(InvalidInput, match="one of dual, suspect"):
        frame.request_change(case, worker, TODAY, frame="offender", reason="x")
