"""The referral of a flagged child or vulnerable adult to the responsible local authority.

identified -> referred -> screened (RAG, with a timescale) -> strategy discussion -> plan in
place -> review -> ... -> closed, each step a named person's decision. A person can also be
closed without referral, but only as a recorded decision with its reason, so nobody flagged is
left without one. The referral goes to the home authority (where the person lives), not where
they were found. Closing with no further action keeps the record for a shorter time.

Timescales follow MASH practice (Red worked the same day, even out of hours; mission-anchors
c.6); plans are reviewed at least every three months (Leeds CE assessment). The retention
periods are defaults for the local retention schedule to replace.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from linemap.errors import InvalidInput
from linemap.safeguard.machine import Case, Decider, Transition, Workflow


class Rag(StrEnum):
    """The screening rating, with the days allowed until the next decision."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def days(self) -> int:
        """Return the timescale: Red the same day, Amber three days, Green five."""
        return {"red": 1, "amber": 3, "green": 5}[self.value]


PLAN_REVIEW_DAYS = 90  # a plan is reviewed at least every three months
RETENTION_AFTER_NO_FURTHER_ACTION = timedelta(days=2 * 365)
RETENTION_AFTER_CLOSURE = timedelta(days=6 * 365)
NO_FURTHER_ACTION = frozenset({"decide_not_to_refer", "close_no_further_action"})

REFERRAL = Workflow(
    "referral",
    "identified",
    (
        Transition("refer", "identified", "referred"),
        Transition("decide_not_to_refer", "identified", "closed", needs_reason=True),
        Transition("screen", "referred", "screened"),
        Transition("hold_strategy_discussion", "screened", "strategy_discussion"),
        Transition("agree_plan", "screened", "plan_in_place"),
        Transition("close_no_further_action", "screened", "closed", needs_reason=True),
        Transition("agree_plan", "strategy_discussion", "plan_in_place"),
        Transition("close_no_further_action", "strategy_discussion", "closed", needs_reason=True),
        Transition("review", "plan_in_place", "review"),
        Transition("continue_plan", "review", "plan_in_place"),
        Transition("close", "review", "closed", needs_reason=True),
    ),
    final=frozenset({"closed"}),
)


def identified() -> Case:
    """Return a new case for a flagged person: identified, waiting for a decision."""
    return Case(REFERRAL)


def refer(case: Case, by: Decider, on: date, home_authority: str) -> Case:
    """Refer to the person's home local authority (not where they were found)."""
    if not home_authority.strip():
        raise InvalidInput("name the home local authority the referral goes to")
    return case.take("refer", by, on, details={"local_authority": home_authority.strip()})


def screen(case: Case, by: Decider, on: date, rag: Rag) -> Case:
    """Record the screening rating; it sets when the next decision is due."""
    return case.take("screen", by, on, details={"rag": Rag(rag).value})


def due(case: Case) -> date | None:
    """Return when the next decision is due, or None when nothing is waiting on a timescale.

    An identified person waits for the same day's decision; a referral for screening within a
    Green timescale; a screened case within its rating's; a plan for its review."""
    if case.closed:
        return None
    if not case.steps:
        return None  # the flag's own review date governs (see assess.rules)
    last = case.steps[-1]
    if case.state == "referred":
        return last.on + timedelta(days=Rag.GREEN.days)
    if case.state in ("screened", "strategy_discussion"):
        rag = next(Rag(s.details["rag"]) for s in reversed(case.steps) if s.action == "screen")
        return last.on + timedelta(days=rag.days)
    return last.on + timedelta(days=PLAN_REVIEW_DAYS)


def overdue(case: Case, today: date) -> bool:
    """Return whether the next decision is past its timescale."""
    when = due(case)
    return when is not None and today > when


def retention_until(case: Case) -> date | None:
    """Return until when a closed case is kept (shorter after no further action), else None."""
    if not case.closed:
        return None
    last = case.steps[-1]
    keep = (
        RETENTION_AFTER_NO_FURTHER_ACTION
        if last.action in NO_FURTHER_ACTION
        else RETENTION_AFTER_CLOSURE
    )
    return last.on + keep
