"""The frame a flagged person is approached in, as a case: every flag starts in the victim frame.

An adult's frame changes by one named person's decision with a reason. A child's never changes on
one person's say: a request with its reason, then the approval of a second person in another
role (`assess.rules.change_frame` states the same rule for a flag in hand). Either can be
returned to the victim frame, with a reason.
"""

from __future__ import annotations

from datetime import date

from linemap.errors import Forbidden, InvalidInput
from linemap.safeguard.machine import Case, Decider, Transition, Workflow

FRAMES = ("dual", "suspect")  # out of the victim frame: victim and suspect, or suspect only

FRAME = Workflow(
    "frame",
    "victim",
    (
        Transition("change", "victim", "changed", needs_reason=True),
        Transition("request_change", "victim", "change_requested", needs_reason=True),
        Transition("approve_change", "change_requested", "changed"),
        Transition("refuse_change", "change_requested", "victim", needs_reason=True),
        Transition("return_to_victim", "changed", "victim", needs_reason=True),
    ),
)


def _frame(chosen: str) -> str:
    if chosen not in FRAMES:
        raise InvalidInput(f"the frame to move to is one of {', '.join(FRAMES)}")
    return chosen


def change(case: Case, by: Decider, on: date, *, child: bool, frame: str, reason: str) -> Case:
    """Change an adult's frame (one person, a reason); a child's needs a request instead."""
    if child:
        raise Forbidden(
            "a child is in the victim frame: request the change; a second approver of another"
            " role decides it"
        )
    return case.take("change", by, on, reason, {"frame": _frame(frame)})


def request_change(case: Case, by: Decider, on: date, *, frame: str, reason: str) -> Case:
    """Ask for a child's frame to change, with the reason."""
    return case.take("request_change", by, on, reason, {"frame": _frame(frame)})


def approve_change(case: Case, by: Decider, on: date) -> Case:
    """Approve a requested change: another person, in another role, than the one who asked."""
    asked = case.steps[-1].by if case.steps else None
    if asked is not None and (asked.name == by.name or asked.role == by.role):
        raise Forbidden("the second approver must be another person in another role")
    frame = case.steps[-1].details.get("frame", "") if case.steps else ""
    return case.take("approve_change", by, on, details={"frame": frame})


def current(case: Case) -> str:
    """Return the frame the case leaves the person in."""
    if case.state != "changed":
        return "victim"
    return case.steps[-1].details.get("frame", "victim")
