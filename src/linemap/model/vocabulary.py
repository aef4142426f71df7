"""Controlled vocabularies as StrEnums with stable lower-case values, each citing its source."""

from __future__ import annotations

from enum import StrEnum


class AgencyKind(StrEnum):
    """Kinds of partner agency in a multi-agency safeguarding arrangement (DESIGN.md, Users)."""

    POLICE = "police"
    PROBATION = "probation"
    YOUTH_JUSTICE = "youth_justice"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"
    EDUCATION = "education"
    HEALTH = "health"
    HOUSING = "housing"
    VOLUNTARY = "voluntary"


class Role(StrEnum):
    """Actor roles. An administrator manages accounts, not casework (governance-security R11)."""

    ANALYST = "analyst"
    PRACTITIONER = "practitioner"
    POLICE_INTELLIGENCE = "police_intelligence"
    COMMUNITY_PARTNER = "community_partner"
    MACE_CHAIR = "mace_chair"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


class Basis(StrEnum):
    """Fact or personal assessment: DPA 2018 s.38(2) requires they be distinguished (R3)."""

    FACT = "fact"
    PERSONAL_ASSESSMENT = "personal_assessment"


class DataSubjectCategory(StrEnum):
    """Categories of data subject, DPA 2018 s.38(3) (governance-security.md 7.3)."""

    SUSPECT = (
        "suspect"  # s.38(3)(a) suspected of having committed or being about to commit an offence
    )
    CONVICTED = "convicted"  # s.38(3)(b) convicted of a criminal offence
    VICTIM = "victim"  # s.38(3)(c) are or may be victims of a criminal offence
    WITNESS = "witness"  # s.38(3)(d) witnesses or other persons with information about offences
    OTHER = "other"  # s.38(3) "such as": family, tenant, carer; never to be treated as suspect
    NOT_YET_CATEGORISED = "not_yet_categorised"  # draft only; blocks sharing


class Judgement(StrEnum):
    """A reviewer's judgement on whether two records are the same person (nomenklatura)."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    UNSURE = "unsure"
    NO_JUDGEMENT = "no_judgement"


class SourceEvaluation(StrEnum):
    """3x5x2 source evaluation (College of Policing APP, Intelligence management)."""

    RELIABLE = "1"
    UNTESTED = "2"
    NOT_RELIABLE = "3"


class IntelligenceAssessment(StrEnum):
    """3x5x2 intelligence assessment (College of Policing APP, Intelligence management)."""

    A = "A"  # known directly to the source
    B = "B"  # known indirectly to the source but corroborated
    C = "C"  # known indirectly to the source: seek corroboration before acting
    D = "D"  # not known
    E = "E"  # suspected to be false


class HandlingCode(StrEnum):
    """3x5x2 handling code; C carries mandatory conditions that are never widened downstream."""

    P = "P"  # lawful sharing permitted
    C = "C"  # lawful sharing permitted with conditions


class Tlp(StrEnum):
    """Traffic Light Protocol 2.0 labels (FIRST, August 2022)."""

    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    AMBER_STRICT = "amber_strict"
    RED = "red"

    @property
    def restrictiveness(self) -> int:
        """Order for "most restrictive wins": RED > AMBER+STRICT > AMBER > GREEN > CLEAR."""
        return _TLP_ORDER.index(self)

    @property
    def label(self) -> str:
        """Written form per TLP 2.0: capitals, no spaces, e.g. TLP:AMBER+STRICT."""
        return "TLP:" + self.value.upper().replace("_", "+")

    @classmethod
    def parse(cls, text: str) -> Tlp:
        """Read "TLP:AMBER+STRICT", "amber+strict" or "amber_strict"."""
        cleaned = text.strip().lower().removeprefix("tlp:").replace("+", "_").replace(" ", "_")
        if cleaned == "white":  # TLP 1.0 WHITE became CLEAR in 2.0
            cleaned = "clear"
        return cls(cleaned)

    @staticmethod
    def most_restrictive(labels: list[Tlp]) -> Tlp:
        """Return the most restrictive of the labels; derived data carries it (R14)."""
        return max(labels, key=lambda t: t.restrictiveness)


_TLP_ORDER = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED]


class LocationKind(StrEnum):
    """Kinds of location that matter in County Lines work (DESIGN.md, POLE)."""

    HOME = "home"
    CHILDRENS_HOME = "childrens_home"
    SUPPORTED_ACCOMMODATION = "supported_accommodation"
    SCHOOL = "school"
    PUPIL_REFERRAL_UNIT = "pupil_referral_unit"
    HOTEL = "hotel"
    TRAP_HOUSE = "trap_house"
    TRANSPORT_HUB = "transport_hub"
    OTHER = "other"


class EventKind(StrEnum):
    """Kinds of event recorded by partner agencies (DESIGN.md, POLE)."""

    ARREST = "arrest"
    STOP_AND_SEARCH = "stop_and_search"
    MISSING_EPISODE = "missing_episode"
    FOUND_OUT_OF_AREA = "found_out_of_area"
    CUCKOOING_REPORT = "cuckooing_report"
    COMMUNITY_CONCERN = "community_concern"
    HOSPITAL_ATTENDANCE_ASSAULT = "hospital_attendance_assault"
    SCHOOL_EXCLUSION = "school_exclusion"
    REFERRAL = "referral"
    CONVICTION = "conviction"
    INTELLIGENCE_REPORT = "intelligence_report"
    PLACEMENT = "placement"
    ASB_REPORT = "asb_report"
    CASE_OPENED = "case_opened"
    MACE_DISCUSSION = "mace_discussion"


class AuditOperation(StrEnum):
    """Operations DPA 2018 s.62 requires to be logged (governance-security.md 7.4)."""

    COLLECTION = "collection"
    ALTERATION = "alteration"
    CONSULTATION = "consultation"
    DISCLOSURE = "disclosure"
    COMBINATION = "combination"
    ERASURE = "erasure"
