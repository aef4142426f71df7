"""MACE actions: each with an owner agency, a named owner and a due date, escalated step by
step while it is overdue (the owner's manager, then the MACE chair, then the strategic group:
the Bronze, Silver and Gold of the Leeds MACE framework, mission-anchors c.6)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from linemap.errors import InvalidInput

ESCALATION_DAYS = (1, 8, 15)  # days overdue at which each level is reached


class Escalation(StrEnum):
    """Who an overdue action goes to."""

    OWNER_MANAGER = "the owner's manager"
    MACE_CHAIR = "the MACE chair"
    STRATEGIC = "the strategic (Silver) group"


@dataclass(frozen=True)
class Action:
    """An action agreed at a MACE meeting."""

    meeting: str
    description: str  # what is to be done, about people by id only
    owner_agency: str
    owner: str
    due: date
    done_on: date | None = None

    def __post_init__(self) -> None:
        if not (self.owner_agency.strip() and self.owner.strip()):
            raise InvalidInput("an action needs an owner agency and a named owner")
        if not self.description.strip():
            raise InvalidInput("say what the action is")

    def complete(self, on: date) -> Action:
        """Return the action marked done."""
        return replace(self, done_on=on)

    def days_overdue(self, today: date) -> int:
        """Return how many days past due an open action is (0 when not overdue or done)."""
        if self.done_on is not None:
            return 0
        return max(0, (today - self.due).days)

    def escalation(self, today: date) -> Escalation | None:
        """Return who an overdue action is escalated to today, or None."""
        late = self.days_overdue(today)
        levels = list(Escalation)
        reached = [
            level for days, level in zip(ESCALATION_DAYS, levels, strict=True) if late >= days
        ]
        return reached[-1] if reached else None
