"""Disruption of organisers and lines: a register of tactics with their legal tests, and each
application as a case through a transition table, linked to the line and the people.

Proposing a tactic needs its safeguarding impact stated (who could be harmed or displaced by it,
the children working the line first: removing a line holder can push risk onto them;
mission-anchors (d) 10) and the line or people it targets; approval needs a named approver of
another person than the proposer. The legal tests are summaries to guide, with their sources:
the decision is the applicant's and the court's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from linemap.errors import Forbidden, InvalidInput, NotFound
from linemap.safeguard.machine import Case, Decider, Transition, Workflow


@dataclass(frozen=True)
class Tactic:
    """A disruption tactic and the test it must meet."""

    id: str
    name: str
    law: str
    who_applies: str
    test: str
    targets: str  # what it acts on: a line's phones, premises, a person
    caveat: str = ""


TACTICS: tuple[Tactic, ...] = (
    Tactic(
        "ddtro",
        "Drug dealing telecommunications restriction order",
        "Serious Crime Act 2015 s.80A (Digital Economy Act 2017 s.107; SI 2017/1240)",
        "NCA Director General or Deputy, or a police officer of superintendent rank or above",
        "on the civil standard, the device or number has been used, or is likely to be used, in"
        " connection with drug dealing offences, and the order is necessary to prevent that",
        "a line's phones and handsets (IMEI, MSISDN, ICCID, IMSI)",
        "the 2022 post-implementation review found limited disruption when used alone",
    ),
    Tactic(
        "closure-order",
        "Closure notice and closure order for cuckooed premises",
        "Anti-social Behaviour, Crime and Policing Act 2014 Part 4 Chapter 3 (ss.76-80)",
        "police (inspector or above for the notice) or the local authority; the order from a"
        " magistrates' court",
        "a person has engaged, or is likely to engage, in disorderly, offensive or criminal"
        " behaviour on the premises, or their use has resulted, or is likely to result, in"
        " serious nuisance or disorder, and closure is necessary to prevent it",
        "premises: the cuckooed address",
        "the resident is a victim: plan their safety and housing before the premises close",
    ),
    Tactic(
        "ccepo",
        "Child criminal exploitation prevention order",
        "Crime and Policing Act (child criminal exploitation prevention orders); confirm the"
        " provisions in force before applying",
        "police or the local authority, to a court",
        "the respondent has engaged in conduct exploiting a child for criminal purposes, and the"
        " order is necessary to protect children from that risk",
        "a person: an organiser or line holder",
    ),
    Tactic(
        "msa-charge",
        "Modern Slavery Act charges; slavery and trafficking prevention order",
        "Modern Slavery Act 2015 s.1 (slavery, servitude, forced labour), s.2 (trafficking),"
        " s.14-15 (prevention orders)",
        "the Crown Prosecution Service (charge); police or the NCA (order)",
        "the Full Code Test for a charge; for an order, conviction (s.14) or conduct (s.15) and"
        " necessity to protect people from slavery or trafficking",
        "a person: an organiser or line holder",
    ),
    Tactic(
        "drugs-charge",
        "Drugs charges",
        "Misuse of Drugs Act 1971 s.4(3) (supply), s.5(3) (possession with intent to supply)",
        "the Crown Prosecution Service",
        "the Full Code Test: a realistic prospect of conviction and the public interest; for a"
        " child or exploited adult, consider the s.45 defence and the NRM first",
        "a person",
        "charging an exploited child may criminalise a victim: safeguarding review first",
    ),
)

DISRUPTION = Workflow(
    "disruption",
    "draft",
    (
        Transition("propose", "draft", "proposed"),
        Transition("approve", "proposed", "approved"),
        Transition("withdraw", "proposed", "withdrawn", needs_reason=True),
        Transition("apply", "approved", "applied"),
        Transition("withdraw", "approved", "withdrawn", needs_reason=True),
        Transition("grant", "applied", "in_force"),
        Transition("refuse", "applied", "refused", needs_reason=True),
        Transition("end", "in_force", "ended", needs_reason=True),
    ),
    final=frozenset({"withdrawn", "refused", "ended"}),
)


def tactic(tactic_id: str) -> Tactic:
    """Return a tactic of the register by id."""
    for found in TACTICS:
        if found.id == tactic_id:
            return found
    known = ", ".join(t.id for t in TACTICS)
    raise NotFound(f"no disruption tactic {tactic_id!r}; the register has {known}")


def propose(
    tactic_id: str,
    by: Decider,
    on: date,
    *,
    line: str | None,
    people: tuple[str, ...],
    safeguarding_impact: str,
) -> Case:
    """Open a proposal: the tactic, the line and people it targets (by id), and its
    safeguarding impact (who could be harmed or displaced), which nobody may leave out."""
    chosen = tactic(tactic_id)
    if not line and not people:
        raise InvalidInput("name the line or the people the disruption targets (by id)")
    if not safeguarding_impact.strip():
        raise InvalidInput(
            "state the safeguarding impact: who could be harmed or displaced, children first"
        )
    details = {
        "tactic": chosen.id,
        "line": line or "",
        "people": ",".join(people),
        "safeguarding_impact": safeguarding_impact.strip(),
    }
    return Case(DISRUPTION).take("propose", by, on, details=details)


def approve(case: Case, by: Decider, on: date) -> Case:
    """Approve a proposal: the approver is another person than the proposer."""
    proposer = case.steps[0].by if case.steps else None
    if proposer is not None and proposer.name == by.name:
        raise Forbidden("a disruption is approved by another person than its proposer")
    return case.take("approve", by, on)
