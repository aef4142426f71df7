"""The National Referral Mechanism for victims of modern slavery, criminal exploitation included
(mission-anchors c.5), and the Modern Slavery Act 2015 s.45 defence.

A designated First Responder refers: a child needs no consent (and goes into child safeguarding
as well); an adult must consent, and without consent a public authority files a Duty to Notify
report instead. The competent authority decides reasonable grounds (since NABA 2022 s.60: that
the person *is* a victim) and later conclusive grounds (balance of probabilities); a negative
decision can be reconsidered at the request of a First Responder or support provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from linemap.errors import InvalidInput
from linemap.safeguard.machine import Case, Decider, Transition, Workflow

RECONSIDERATION_REQUESTERS = frozenset({"first_responder", "support_provider"})

NRM = Workflow(
    "nrm",
    "identified",
    (
        Transition("refer", "identified", "rg_pending"),
        Transition("notify_duty", "identified", "duty_to_notify"),
        Transition("reasonable_grounds_positive", "rg_pending", "rg_positive"),
        Transition("reasonable_grounds_negative", "rg_pending", "rg_negative", needs_reason=True),
        Transition("request_reconsideration", "rg_negative", "rg_pending", needs_reason=True),
        Transition("conclusive_grounds_positive", "rg_positive", "cg_positive"),
        Transition("conclusive_grounds_negative", "rg_positive", "cg_negative", needs_reason=True),
        Transition("request_reconsideration", "cg_negative", "rg_positive", needs_reason=True),
        Transition("close", "rg_negative", "closed", needs_reason=True),
        Transition("close", "cg_positive", "closed", needs_reason=True),
        Transition("close", "cg_negative", "closed", needs_reason=True),
        Transition("close", "duty_to_notify", "closed", needs_reason=True),
    ),
    final=frozenset({"closed"}),
)


def identified() -> Case:
    """Return a new NRM case for a person identified as a possible victim."""
    return Case(NRM)


def refer(
    case: Case, by: Decider, on: date, *, child: bool, consent: bool, first_responder: str
) -> Case:
    """Refer to the competent authority: a child without consent, an adult only with it."""
    if not first_responder.strip():
        raise InvalidInput("name the First Responder organisation making the referral")
    if not child and not consent:
        raise InvalidInput(
            "an adult must consent to an NRM referral; without consent, file a Duty to Notify"
            " report (notify_duty) instead"
        )
    details = {"first_responder": first_responder.strip(), "child": str(child).lower()}
    if not child:
        details["consent"] = "given"
    return case.take("refer", by, on, details=details)


def request_reconsideration(
    case: Case, by: Decider, on: date, reason: str, requester_kind: str
) -> Case:
    """Ask the competent authority to reconsider a negative decision."""
    if requester_kind not in RECONSIDERATION_REQUESTERS:
        raise InvalidInput(
            "only a First Responder or a support provider may ask for a reconsideration"
        )
    return case.take(
        "request_reconsideration", by, on, reason, details={"requested_by": requester_kind}
    )


@dataclass(frozen=True)
class Section45:
    """Whether the s.45 defence is to be considered for an offence a victim is charged with."""

    available: bool
    test: str


def section_45(*, child: bool, schedule_4_offence: bool) -> Section45:
    """Return whether the Modern Slavery Act 2015 s.45 defence is available, and its test, for
    a person charged in connection with their exploitation (never for a Schedule 4 offence)."""
    if schedule_4_offence:
        return Section45(False, "not available: the offence is listed in Schedule 4")
    if child:
        return Section45(
            True,
            "child: the act was a direct consequence of being a victim, and a reasonable person"
            " in the same situation would do it (compulsion is not required)",
        )
    return Section45(
        True,
        "adult: compelled, the compulsion attributable to slavery or relevant exploitation, and"
        " a reasonable person with the same characteristics would have no realistic alternative",
    )
