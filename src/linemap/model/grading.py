"""Intelligence grading: UK 3x5x2 and legacy 5x5x5, kept as recorded, never converted silently.

Sources: College of Policing APP, Intelligence management (3x5x2, which also supports historic
5x5x5); the legacy codes follow the i2 Analyze example scheme (mission-anchors.md c.3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from linemap.errors import InvalidInput
from linemap.model.vocabulary import HandlingCode, IntelligenceAssessment, SourceEvaluation

_THREE_FIVE_TWO = re.compile(r"^\s*([1-3])\s*[/ -]?\s*([A-Ea-e])\s*[/ -]?\s*([PCpc])?\s*$")
_FIVE_FIVE_FIVE = re.compile(r"^\s*([A-Ea-e])\s*[/ -]?\s*([1-5])\s*[/ -]?\s*([1-5])\s*$")


@dataclass(frozen=True)
class Grading:
    """A 3x5x2 grade: source 1-3, intelligence A-E, handling P or C (C needs conditions text)."""

    source: SourceEvaluation
    intelligence: IntelligenceAssessment
    handling: HandlingCode = HandlingCode.P
    conditions: str | None = None

    def __post_init__(self) -> None:
        if self.handling is HandlingCode.C and not (self.conditions or "").strip():
            raise InvalidInput(
                "handling code C needs its conditions stated; give the conditions text "
                "(e.g. a handling_conditions column) or use handling code P"
            )

    @property
    def code(self) -> str:
        """Return the display form, e.g. 2BP."""
        return f"{self.source.value}{self.intelligence.value}{self.handling.value}"

    @property
    def is_weak(self) -> bool:
        """Graded E or source 3: never the sole evidence for a flag or referral (R4)."""
        return (
            self.intelligence is IntelligenceAssessment.E
            or self.source is SourceEvaluation.NOT_RELIABLE
        )

    @classmethod
    def parse(cls, text: str, *, conditions: str | None = None) -> Grading:
        """Read "2BP", "2/B/C", "1 A" (handling defaults to P); reject anything else."""
        match = _THREE_FIVE_TWO.match(text)
        if not match:
            raise InvalidInput(
                "not a 3x5x2 grade: expected source 1-3, intelligence A-E and handling P or C, "
                "for example 2BP"
            )
        source, intelligence, handling = match.groups()
        return cls(
            SourceEvaluation(source),
            IntelligenceAssessment(intelligence.upper()),
            HandlingCode((handling or "P").upper()),
            conditions.strip() if conditions and conditions.strip() else None,
        )


@dataclass(frozen=True)
class LegacyGrading:
    """A historic 5x5x5 grade, stored as recorded. It is not a 3x5x2 grade and is not mapped."""

    source: str  # A always reliable .. E untested
    intelligence: str  # 1 known true without reservation .. 5 suspected false or malicious
    handling: str  # 1 other law enforcement .. 5 no further dissemination, refer to originator

    @property
    def code(self) -> str:
        """Return the display form, e.g. B24."""
        return f"{self.source}{self.intelligence}{self.handling}"

    @classmethod
    def parse(cls, text: str) -> LegacyGrading:
        """Read "B24" or "B/2/4"."""
        match = _FIVE_FIVE_FIVE.match(text)
        if not match:
            raise InvalidInput(
                "not a 5x5x5 grade: expected source A-E, intelligence 1-5 and handling 1-5, "
                "for example B24"
            )
        source, intelligence, handling = match.groups()
        return cls(source.upper(), intelligence, handling)


def legacy_is_weak(code: str) -> bool:
    """Return whether a 5x5x5 grade, as recorded, weighs as weak: its source D (unreliable)
    or its intelligence 5 (suspected false), as 3x5x2 source 3 or E. It is not converted."""
    match = _FIVE_FIVE_FIVE.match(code)
    return match is not None and (match.group(1).upper() == "D" or match.group(2) == "5")
