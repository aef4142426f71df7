"""The partner agencies of the simulated region and the export files each one keeps."""

from __future__ import annotations

from dataclasses import dataclass

from linemap.model.vocabulary import AgencyKind
from linemap.simulate import care, police, service
from linemap.simulate.noise import Profile
from linemap.simulate.row import Builder

ALL_ROLES = frozenset({"organiser", "line_holder", "older_member", "younger", "cuckooed"})
WORKERS = frozenset({"organiser", "line_holder", "older_member", "younger"})
CHILD = frozenset({"younger"})
# Organisers keep their distance from the street; the others are the ones searched.
SEARCHED = frozenset({"line_holder", "older_member", "younger"})


@dataclass(frozen=True, slots=True)
class Agency:
    """A partner agency: code, name, kind, the area it covers and how it records things."""

    code: str
    name: str
    kind: AgencyKind
    area: str
    covers: tuple[str, ...]  # area names (place.HUBS and place.TOWNS)
    profile: Profile
    encoding: str = "utf-8"

    @property
    def contact(self) -> str:
        """Return whom partners ask for what it holds (a reserved .example address)."""
        return f"information-sharing@{self.code.lower()}.example"


@dataclass(frozen=True, slots=True)
class ExportSpec:
    """One export file: its agency, template, share of all records and who appears in it."""

    agency: str
    template: str
    share: float
    build: Builder
    roles: frozenset[str]  # roles on a line that put someone in this export
    ages: tuple[int, int]  # ages at the reference date of the background people in it
    background: float  # share of eligible background people the agency knows
    needs: str = ""  # a vulnerability background people must have, if any


LONDON = ("Brent", "Islington", "Croydon")
KENT = ("Margate", "Ramsgate", "Folkestone", "Chatham")
ESSEX = ("Southend-on-Sea", "Basildon", "Colchester")

AGENCIES = (
    Agency(
        "MPS",
        "Metropolitan Police Service",
        AgencyKind.POLICE,
        "London",
        LONDON,
        Profile(("dmy",), "dmy", nickname=0.1, dob_partial=0.05, upper_surname=True),
    ),
    Agency(
        "KENT-POLICE",
        "Kent Police",
        AgencyKind.POLICE,
        "Kent",
        KENT,
        Profile(("dmy", "long"), "dmy", nickname=0.1, dob_partial=0.05),
    ),
    Agency(
        "ESSEX-POLICE",
        "Essex Police",
        AgencyKind.POLICE,
        "Essex",
        ESSEX,
        Profile(("iso",), "iso", nickname=0.08, dob_partial=0.05),
    ),
    Agency(
        "BRENT-CSC",
        "Brent Children's Social Care",
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        "Brent",
        ("Brent",),
        Profile(("dmy", "iso"), "dmy", dob_missing=0.02),
    ),
    Agency(
        "KENT-CSC",
        "Kent Children's Services",
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        "Kent",
        KENT,
        Profile(("long", "compact", "dmy"), "dmy", dob_missing=0.02),
    ),
    Agency(
        "ISLINGTON-EDU",
        "Islington Education Services",
        AgencyKind.EDUCATION,
        "Islington",
        ("Islington",),
        Profile(("dmy",), "dmy", swap=0.0, dob_missing=0.0),
    ),
    Agency(
        "KENT-EDU",
        "Kent Schools Information Service",
        AgencyKind.EDUCATION,
        "Kent",
        KENT,
        Profile(("long", "iso"), "dmy", swap=0.0, dob_missing=0.01),
        "cp1252",
    ),
    Agency(
        "NHS-LDN",
        "North West London Emergency Departments",
        AgencyKind.HEALTH,
        "London",
        LONDON,
        Profile(("dmy",), "dmy", dob_missing=0.03),
    ),
    Agency(
        "NHS-SE",
        "Kent and Essex Emergency Departments",
        AgencyKind.HEALTH,
        "Kent and Essex",
        KENT + ESSEX,
        Profile(("iso", "dmy"), "isoz"),
        "utf-8-sig",
    ),
    Agency(
        "PROBATION-LSE",
        "Probation Service, London and South East",
        AgencyKind.PROBATION,
        "London and South East",
        LONDON + KENT + ESSEX,
        Profile(("dmy", "iso", "long"), "dmy"),
    ),
    Agency(
        "YJS-BRENT",
        "Brent Youth Justice Service",
        AgencyKind.YOUTH_JUSTICE,
        "Brent",
        ("Brent",),
        Profile(("iso", "dmy"), "dmy", nickname=0.15),
    ),
    Agency(
        "YJS-KENT",
        "Kent Youth Justice",
        AgencyKind.YOUTH_JUSTICE,
        "Kent",
        KENT,
        Profile(("long", "dmy"), "dmy", nickname=0.15),
    ),
    Agency(
        "THANET-HOUSING",
        "Thanet District Council Housing",
        AgencyKind.HOUSING,
        "Thanet",
        ("Margate", "Ramsgate"),
        Profile(("dmy", "dotted"), "dmy", dob_missing=0.2),
    ),
    Agency(
        "SOUTHEND-HOUSING",
        "Southend-on-Sea City Council Housing",
        AgencyKind.HOUSING,
        "Southend-on-Sea",
        ("Southend-on-Sea",),
        Profile(("abbr", "dmy"), "dmy", dob_missing=0.2),
    ),
    Agency(
        "COASTWATCH",
        "Coastal Communities Safety Network (voluntary)",
        AgencyKind.VOLUNTARY,
        "Kent and Essex",
        KENT + ESSEX,
        Profile(("dmy", "long", "iso"), "dmy", nickname=0.3),
    ),
    Agency(
        "DRUG-SERVICE",
        "Coastal Drug and Alcohol Service",
        AgencyKind.HEALTH,
        "Kent and Essex",
        KENT + ESSEX,
        Profile(("dmy",), "dmy", nickname=0.1),
    ),
)

EXPORTS = (
    ExportSpec("MPS", "police-intelligence", 0.09, police.intelligence, ALL_ROLES, (12, 80), 0.15),
    ExportSpec("MPS", "custody-arrest", 0.06, police.custody, WORKERS, (12, 80), 0.12),
    ExportSpec("MPS", "missing-episode", 0.04, care.missing, CHILD, (11, 17), 0.12),
    ExportSpec("MPS", "stop-search", 0.05, police.stop_search, SEARCHED, (12, 70), 0.1),
    ExportSpec(
        "KENT-POLICE", "police-intelligence", 0.07, police.intelligence, ALL_ROLES, (12, 80), 0.15
    ),
    ExportSpec("KENT-POLICE", "custody-arrest", 0.05, police.custody, WORKERS, (12, 80), 0.12),
    ExportSpec("KENT-POLICE", "missing-episode", 0.03, care.missing, CHILD, (11, 17), 0.12),
    ExportSpec("KENT-POLICE", "stop-search", 0.04, police.stop_search, SEARCHED, (12, 70), 0.1),
    ExportSpec(
        "ESSEX-POLICE", "police-intelligence", 0.05, police.intelligence, ALL_ROLES, (12, 80), 0.15
    ),
    ExportSpec("ESSEX-POLICE", "custody-arrest", 0.04, police.custody, WORKERS, (12, 80), 0.12),
    ExportSpec(
        "BRENT-CSC", "social-care-case", 0.05, care.placement, CHILD, (8, 17), 1.0, "looked_after"
    ),
    ExportSpec("BRENT-CSC", "missing-episode", 0.02, care.missing, CHILD, (11, 17), 0.1),
    ExportSpec("BRENT-CSC", "mace-tracker", 0.01, care.mace, CHILD, (11, 17), 0.02),
    ExportSpec("BRENT-CSC", "social-care-referral", 0.03, care.referral, CHILD, (8, 17), 0.15),
    ExportSpec(
        "KENT-CSC", "social-care-case", 0.05, care.placement, CHILD, (8, 17), 1.0, "looked_after"
    ),
    ExportSpec("KENT-CSC", "mace-tracker", 0.015, care.mace, CHILD, (11, 17), 0.02),
    ExportSpec("KENT-CSC", "social-care-referral", 0.035, care.referral, CHILD, (8, 17), 0.15),
    ExportSpec("ISLINGTON-EDU", "school-attendance", 0.07, care.exclusion, CHILD, (11, 17), 0.3),
    ExportSpec("KENT-EDU", "school-attendance", 0.08, care.exclusion, CHILD, (11, 17), 0.3),
    ExportSpec("NHS-LDN", "ae-assault", 0.04, service.attendance, ALL_ROLES, (12, 80), 0.1),
    ExportSpec("NHS-SE", "ae-assault", 0.04, service.attendance, ALL_ROLES, (12, 80), 0.1),
    ExportSpec(
        "PROBATION-LSE",
        "probation-caseload",
        0.05,
        service.supervision,
        frozenset({"organiser", "line_holder", "older_member"}),
        (18, 80),
        0.06,
    ),
    ExportSpec(
        "YJS-BRENT", "youth-justice-caseload", 0.025, care.youth_justice, CHILD, (12, 17), 0.1
    ),
    ExportSpec(
        "YJS-KENT", "youth-justice-caseload", 0.025, care.youth_justice, CHILD, (12, 17), 0.1
    ),
    ExportSpec(
        "THANET-HOUSING",
        "housing-asb-cuckooing",
        0.02,
        service.housing,
        frozenset({"cuckooed"}),
        (18, 80),
        0.08,
    ),
    ExportSpec(
        "SOUTHEND-HOUSING",
        "housing-asb-cuckooing",
        0.02,
        service.housing,
        frozenset({"cuckooed"}),
        (18, 80),
        0.08,
    ),
    ExportSpec("COASTWATCH", "community-concern", 0.03, service.concern, ALL_ROLES, (12, 80), 0.05),
    ExportSpec(
        "DRUG-SERVICE",
        "person-register",
        0.04,
        service.register,
        frozenset({"cuckooed"}),
        (18, 80),
        1.0,
        "substance_misuse",
    ),
)


def get_agency(code: str) -> Agency:
    """Return the agency with a code."""
    return next(a for a in AGENCIES if a.code == code)
