"""The rules a flag must pass (R4, R25, R26; mission-anchors (d)), and the victim frame.

A flag is a personal assessment that a person is at risk of criminal exploitation (or that a
vulnerable adult's home is being cuckooed). It names its criteria set and version, every
observation it rests on with that observation's evidence statements, and who or what raised it.
`propose_flag` refuses, with every reason, a flag that rests on:

- association alone: who someone is linked to is not evidence that they are exploited;
- evidence graded E or from a source graded 3 alone (R4): such an item can support a flag but
  never carry it;
- slang, music or clothing alone (R25): cultural proxies are never evidence on their own;
- vulnerability factors alone: they create an imbalance of power, they are not signs;
- an observation with no evidence statement at all.

An observation counts when its criterion is a behaviour (not an association or a cultural
proxy) and at least one of its evidence items is usable (not weak). An exploitation flag needs
a counting sign, a cuckooing flag a counting cuckooing sign; the other observations travel with
the flag as support.

Every flag starts in the victim frame. For a child (under 18 on the day, on the most recent
birthday the recorded date allows) moving it out of the victim frame needs a second approver
of another role and a reason (`change_frame`); a person whose age is unknown is treated as a
child here, since nothing shows they are not.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from linemap.assess.criteria import Criterion, CriterionKind, EvidenceKind
from linemap.errors import Forbidden, InvalidInput
from linemap.model.grading import Grading, legacy_is_weak
from linemap.model.partial_date import PartialDate


class FlagKind(StrEnum):
    """What a flag says."""

    EXPLOITATION = "exploitation"  # at risk of criminal exploitation
    CUCKOOING = "cuckooing"  # a vulnerable adult's home taken over


class Frame(StrEnum):
    """How the people acting on a flag approach the person."""

    VICTIM = "victim"  # safeguarding first: every flag starts here
    DUAL = "dual"  # victim and suspected perpetrator: safeguarding review, never enforcement alone
    SUSPECT = "suspect"  # suspected perpetrator only (never for a child without two approvers)


class RiskLevel(StrEnum):
    """Risk levels with the days until the flag must be reviewed."""

    NONE = "no risk"
    LOW = "low/emerging"
    MEDIUM = "medium/moderate"
    HIGH = "high/significant"

    @property
    def review_days(self) -> int:
        """Return how many days a flag at this level may go without review."""
        return {"no risk": 365, "low/emerging": 180, "medium/moderate": 90}.get(self.value, 28)


@dataclass(frozen=True)
class Evidence:
    """A statement an observation rests on; `grading` (or a historic 5x5x5 `legacy` grade, as
    recorded) for intelligence, neither for an agency's own record of a fact (a missing
    episode, an arrest, a school's attendance)."""

    statement_id: int
    record_id: int
    grading: Grading | None = None
    legacy: str | None = None

    @property
    def usable(self) -> bool:
        """Return whether this item can carry a flag (graded E or source 3 cannot, R4; nor a
        legacy grade from an unreliable source or suspected false)."""
        if self.grading is not None:
            return not self.grading.is_weak
        return self.legacy is None or not legacy_is_weak(self.legacy)


@dataclass(frozen=True)
class Observation:
    """A criterion seen in a person's records, with the statements that show it."""

    criterion: Criterion
    evidence: tuple[Evidence, ...]
    observed_on: date

    @property
    def counts(self) -> bool:
        """Return whether this observation can carry a flag on its own merits."""
        return self.criterion.evidence is EvidenceKind.BEHAVIOUR and any(
            e.usable for e in self.evidence
        )


@dataclass(frozen=True)
class Approver:
    """A named person who approves a decision, with their role."""

    name: str
    role: str


@dataclass(frozen=True)
class Flag:
    """A raised flag: a personal assessment, never a fact."""

    subject: str  # the person (resolution person id or entity id)
    kind: FlagKind
    criteria: str  # the criteria set's reference, id@version
    observations: tuple[Observation, ...]
    raised_by: str  # an actor's name, or "rule:<criteria reference>" when raised by linemap
    raised_on: date
    child: bool
    frame: Frame = Frame.VICTIM
    risk: RiskLevel = RiskLevel.LOW
    frame_reason: str | None = None
    frame_approvers: tuple[Approver, ...] = ()

    @property
    def review_by(self) -> date:
        """Return the date by which the flag must be reviewed."""
        return self.raised_on + timedelta(days=self.risk.review_days)

    @property
    def statement_ids(self) -> tuple[int, ...]:
        """Return every evidence statement, once, in order."""
        seen = dict.fromkeys(e.statement_id for o in self.observations for e in o.evidence)
        return tuple(seen)


def is_child(birth_date: str | None, today: date) -> bool:
    """Return whether the person may be under 18 today. A partial date counts from the latest
    day it allows (2009 from 31 December 2009); an unknown or unreadable one counts as a child,
    since nothing shows they are not."""
    try:
        born = PartialDate.parse_iso(birth_date or "")
    except ValueError:
        return True
    month = born.month or 12
    day = born.day or calendar.monthrange(born.year, month)[1]
    if (month, day) == (2, 29):  # an 18th birthday on 29 February falls on 1 March
        month, day = 3, 1
    return today < date(born.year + 18, month, day)


def refusals(kind: FlagKind, observations: tuple[Observation, ...]) -> list[str]:
    """Return every reason the rules refuse a flag on these observations (none: allowed)."""
    reasons = [
        f"observation of {o.criterion.id!r} names no evidence statement"
        for o in observations
        if not o.evidence
    ]
    needed = CriterionKind.SIGN if kind is FlagKind.EXPLOITATION else CriterionKind.CUCKOOING
    relevant = [o for o in observations if o.criterion.kind is needed and o.evidence]
    if any(o.counts for o in relevant):
        return reasons
    if not relevant:
        vulnerability = any(o.criterion.kind is CriterionKind.VULNERABILITY for o in observations)
        reasons.append(
            "vulnerability factors alone are not signs of exploitation"
            if vulnerability and kind is FlagKind.EXPLOITATION
            else f"no {needed.value} observed with evidence"
        )
        return reasons
    kinds = {o.criterion.evidence for o in relevant}
    if EvidenceKind.BEHAVIOUR in kinds:
        reasons.append("its only evidence is graded E or from a source graded 3 (R4)")
    if EvidenceKind.ASSOCIATION in kinds and EvidenceKind.BEHAVIOUR not in kinds:
        reasons.append("association alone is not evidence of exploitation")
    if EvidenceKind.CULTURE in kinds and EvidenceKind.BEHAVIOUR not in kinds:
        reasons.append("slang, music or clothing are never evidence alone")
    return reasons


def propose_flag(
    subject: str,
    kind: FlagKind,
    observations: tuple[Observation, ...],
    *,
    criteria: str,
    birth_date: str | None,
    raised_by: str,
    today: date,
    risk: RiskLevel = RiskLevel.LOW,
) -> Flag:
    """Return the flag these observations support, in the victim frame, or raise InvalidInput
    naming every rule it breaks."""
    refused = refusals(kind, observations)
    if refused:
        raise InvalidInput(f"flag on {subject} refused: " + "; ".join(refused))
    return Flag(
        subject,
        kind,
        criteria,
        observations,
        raised_by,
        today,
        is_child(birth_date, today),
        risk=risk,
    )


def change_frame(
    flag: Flag, frame: Frame, reason: str, requested_by: Approver, approved_by: Approver | None
) -> Flag:
    """Move a flag to another frame. Any move needs a reason; moving a child's flag out of the
    victim frame also needs a second approver who is another person in another role."""
    if not reason.strip():
        raise InvalidInput("give the reason for changing the frame")
    approvers: tuple[Approver, ...] = (requested_by,)
    if flag.child and frame is not Frame.VICTIM:
        if approved_by is None:
            raise Forbidden(
                "a child is in the victim frame: moving them out needs a second approver"
            )
        if approved_by.name == requested_by.name or approved_by.role == requested_by.role:
            raise Forbidden("the second approver must be another person in another role")
        approvers = (requested_by, approved_by)
    return replace(flag, frame=frame, frame_reason=reason.strip(), frame_approvers=approvers)
