"""The access policy: who may read, export or add which records, and which fields they see.

One place, pure and server-side (governance-security R11-R16). Default deny: an actor reads a
record their own agency originated, or one covered by an information sharing agreement (ISA)
that is in force today, names both agencies, the actor's role and the record's kind, and whose
markings permit it. Everything else is refused, and the refusal says why (without data).

TLP 2.0 is read with the mapping note of governance-security section 5: "organisation" is one
agency and "community" the parties of one ISA. So TLP:RED and TLP:AMBER+STRICT never leave the
originating agency; TLP:AMBER, GREEN and CLEAR travel only as far as an ISA allows (its
`max_tlp`). Handling code C never blocks reading but always blocks export (R14), and its
conditions go with every read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from linemap.errors import InvalidInput
from linemap.governance.actor import Actor
from linemap.model.vocabulary import AgencyKind, DataSubjectCategory, HandlingCode, Role, Tlp


class Operation(StrEnum):
    """What an actor wants to do with a record."""

    READ = "read"
    EXPORT = "export"  # a disclosure outside linemap (R15)
    INGEST = "ingest"  # add records in an agency's name


# Roles that work cases and may read personal data. An administrator manages accounts and an
# auditor reads the audit trail: neither reads personal data by role alone (R11, R19).
CASEWORK_ROLES = frozenset(
    {
        Role.ANALYST,
        Role.PRACTITIONER,
        Role.POLICE_INTELLIGENCE,
        Role.COMMUNITY_PARTNER,
        Role.MACE_CHAIR,
    }
)
INGEST_ROLES = frozenset({Role.ANALYST, Role.PRACTITIONER, Role.POLICE_INTELLIGENCE})
# The widest marking an ISA may carry: RED and AMBER+STRICT stay in the originating agency.
SHAREABLE_TLP = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER)


@dataclass(frozen=True)
class Isa:
    """An information sharing agreement between agencies (golden rules; R11, R13, R17)."""

    id: int
    code: str
    purpose: str
    lawful_basis: str
    parties: frozenset[str]  # agency codes
    roles: frozenset[Role]  # roles in the parties that may read under it
    record_kinds: frozenset[str]  # mapping names of the records it covers
    start: date
    end: date
    max_tlp: Tlp = Tlp.AMBER

    def in_force(self, today: date) -> bool:
        """Return whether the agreement applies on a day (start and end inclusive)."""
        return self.start <= today <= self.end


def check_isa(isa: Isa) -> None:
    """Refuse an agreement that could never work or would share too widely."""
    if len(isa.parties) < 2:
        raise InvalidInput("an information sharing agreement needs at least two agencies")
    if isa.end < isa.start:
        raise InvalidInput("the agreement ends before it starts; check the dates")
    if not isa.roles or not isa.record_kinds:
        raise InvalidInput("name the roles and the record kinds the agreement covers")
    if not isa.roles <= CASEWORK_ROLES:
        raise InvalidInput(
            "an agreement can only cover casework roles, not administrators or auditors"
        )
    if isa.max_tlp not in SHAREABLE_TLP:
        raise InvalidInput(
            "TLP:RED and TLP:AMBER+STRICT records never leave their agency (TLP 2.0)"
        )
    if not isa.purpose.strip() or not isa.lawful_basis.strip():
        raise InvalidInput("an agreement needs its purpose and lawful basis (golden rule 7)")


@dataclass(frozen=True)
class Marking:
    """What the policy needs of a record: originator, kind and the markings of its statements."""

    agency: str
    kind: str  # mapping name of the batch it came in
    tlp: Tlp
    handling: HandlingCode
    conditions: tuple[str, ...] = ()

    @classmethod
    def combine(
        cls, agency: str, kind: str, parts: Iterable[tuple[Tlp, HandlingCode, str | None]]
    ) -> Marking:
        """Return the most restrictive marking of a record's parts (R14: most restrictive wins)."""
        tlp, handling, conditions = Tlp.CLEAR, HandlingCode.P, []
        for part_tlp, part_handling, part_conditions in parts:
            if part_tlp.restrictiveness > tlp.restrictiveness:
                tlp = part_tlp
            if part_handling is HandlingCode.C:
                handling = HandlingCode.C
            if part_conditions and part_conditions not in conditions:
                conditions.append(part_conditions)
        return cls(agency, kind, tlp, handling, tuple(conditions))


@dataclass(frozen=True)
class Decision:
    """Allowed or not, why, and under which agreement."""

    allowed: bool
    reason: str
    isa: str | None = None
    conditions: tuple[str, ...] = ()


def _deny(reason: str) -> Decision:
    return Decision(False, reason)


def decide(
    actor: Actor, operation: Operation, marking: Marking, isas: Iterable[Isa], today: date
) -> Decision:
    """Decide whether `actor` may do `operation` on a record with `marking`; default deny."""
    if not actor.active:
        return _deny("the account is disabled")
    if operation is Operation.INGEST:
        if actor.role in INGEST_ROLES and marking.agency == actor.agency_code:
            return Decision(True, "own agency")
        return _deny("only analysts and practitioners add records, and only for their own agency")
    if actor.role not in CASEWORK_ROLES:
        return _deny(f"the {actor.role.value} role reads no personal data")
    if operation is Operation.EXPORT:
        if marking.handling is HandlingCode.C:
            return _deny("handling code C: conditions apply and the record cannot be exported")
        if marking.tlp is Tlp.RED:
            return _deny("TLP:RED records cannot be exported")
    if marking.agency == actor.agency_code:
        return Decision(True, "own agency", conditions=marking.conditions)
    if marking.tlp not in SHAREABLE_TLP:
        return _deny(f"{marking.tlp.label} records stay within the agency that made them")
    for isa in sorted(isas, key=lambda i: i.code):
        if (
            isa.in_force(today)
            and {actor.agency_code, marking.agency} <= isa.parties
            and actor.role in isa.roles
            and marking.kind in isa.record_kinds
            and marking.tlp.restrictiveness <= isa.max_tlp.restrictiveness
        ):
            return Decision(True, "information sharing agreement", isa.code, marking.conditions)
    return _deny("no information sharing agreement in force covers this record")


class Recipient(StrEnum):
    """Recipient classes for field-level minimisation (R12)."""

    ORIGINATOR = "originator"
    POLICE = "police"
    HEALTH = "health"
    STATUTORY = "statutory"
    COMMUNITY = "community"  # housing, voluntary sector and community partners


_COMMUNITY_KINDS = frozenset({AgencyKind.HOUSING, AgencyKind.VOLUNTARY})

# Properties withheld from each recipient class outside the originating agency (R12: housing and
# the voluntary sector never receive ethnicity or police identifiers; identifiers of one service
# are not another's business).
WITHHELD: dict[Recipient, frozenset[str]] = {
    Recipient.ORIGINATOR: frozenset(),
    Recipient.POLICE: frozenset({"nhs_number"}),
    Recipient.HEALTH: frozenset({"pnc_id"}),
    Recipient.STATUTORY: frozenset({"pnc_id", "nhs_number"}),
    Recipient.COMMUNITY: frozenset({"pnc_id", "nhs_number", "ethnicity", "upn"}),
}


def recipient(actor: Actor, actor_kind: AgencyKind, record_agency: str) -> Recipient:
    """Return the recipient class of an actor for a record of another (or their own) agency."""
    if record_agency == actor.agency_code:
        return Recipient.ORIGINATOR
    if actor.role is Role.COMMUNITY_PARTNER or actor_kind in _COMMUNITY_KINDS:
        return Recipient.COMMUNITY
    if actor_kind is AgencyKind.POLICE:
        return Recipient.POLICE
    if actor_kind is AgencyKind.HEALTH:
        return Recipient.HEALTH
    return Recipient.STATUTORY


def field_visible(to: Recipient, prop: str, category: str | None) -> bool:
    """Return whether a statement's property may be shown to a recipient class."""
    if to is Recipient.ORIGINATOR:
        return True
    # R16: sources, reporters and witnesses are never shown outside their agency;
    # an uncategorised subject blocks sharing (governance-security 7.3).
    if category in (DataSubjectCategory.WITNESS, DataSubjectCategory.NOT_YET_CATEGORISED):
        return False
    return prop not in WITHHELD[to]


def grading_visible(to: Recipient) -> bool:
    """Return whether 3x5x2 grading (police source details) may be shown (R12)."""
    return to is not Recipient.COMMUNITY


def may_audit(actor: Actor, subject: str | None) -> bool:
    """Auditors read the trail, but never about their own activity (R19; PND code)."""
    return actor.active and actor.role is Role.AUDITOR and subject != actor.username


def may_administer(actor: Actor) -> bool:
    """Administrators manage agencies, accounts and agreements, and nothing else."""
    return actor.active and actor.role is Role.ADMINISTRATOR


def may_monitor_equality(actor: Actor) -> bool:
    """Return whether an actor sees the equality figures (R24): aggregates across agencies, for
    those who oversee the whole response (analysts, MACE chairs) and for auditors."""
    return actor.active and (
        actor.role in (Role.ANALYST, Role.MACE_CHAIR) or may_audit(actor, None)
    )
