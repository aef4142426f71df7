"""Agencies and users: the accounts side of linemap, audited like everything else."""

from __future__ import annotations

from datetime import UTC, datetime

from linemap.errors import Forbidden, InvalidInput
from linemap.governance.actor import (
    Actor,
    Agency,
    check_agency_code,
    check_password,
    check_username,
    parse_choice,
)
from linemap.governance.audit import AuditEvent
from linemap.governance.password import hash_password
from linemap.governance.policy import may_administer
from linemap.model.vocabulary import AgencyKind, AuditOperation, Role
from linemap.store.unit_of_work import UnitOfWork


def add_agency(
    uow: UnitOfWork,
    actor: str,
    code: str,
    name: str,
    kind: str,
    area: str | None,
    contact: str | None = None,
) -> Agency:
    """Register a partner agency."""
    agency_kind = parse_choice(AgencyKind, kind, "agency kind")
    if not name.strip():
        raise InvalidInput("the agency name must not be empty")
    with uow.write() as tx:
        agency = tx.directory.add_agency(
            check_agency_code(code), name.strip(), agency_kind, area, contact
        )
        tx.audit.append(
            AuditEvent(
                AuditOperation.COLLECTION,
                actor,
                (f"agency:{agency.code}",),
                {"kind": agency.kind.value},
            )
        )
    return agency


def require_administrator(actor: Actor | None) -> None:
    """Refuse account and agreement management to anyone but an administrator.

    None stands for the command line, run by whoever administers the installation.
    """
    if actor is not None and not may_administer(actor):
        raise Forbidden("only an administrator manages agencies, accounts and agreements")


def set_active(uow: UnitOfWork, by: Actor | None, username: str, active: bool) -> Actor:
    """Enable or disable an account; disabling ends its sessions at once (R30)."""
    require_administrator(by)
    if by is not None and by.username == check_username(username):
        raise InvalidInput("you cannot disable your own account; ask another administrator")
    who = by.username if by else "cli"
    with uow.write() as tx:
        changed = tx.directory.set_active(check_username(username), active)
        if not active:
            tx.sessions.end_for_actor(changed.id, datetime.now(UTC).isoformat())
        tx.audit.append(
            AuditEvent(
                AuditOperation.ALTERATION,
                who,
                (f"actor:{changed.id}",),
                {"active": active},
                actor_agency=by.agency_code if by else None,
                actor_role=by.role.value if by else None,
            )
        )
    return changed


def list_agencies(uow: UnitOfWork) -> list[Agency]:
    """Return every agency."""
    with uow.read() as tx:
        return tx.directory.list_agencies()


def add_user(
    uow: UnitOfWork, actor: str, username: str, agency_code: str, role: str, password: str
) -> Actor:
    """Create a user account in an agency with one role; the password is stored hashed."""
    actor_role = parse_choice(Role, role, "role")
    name = check_username(username)
    check_password(password)
    password_hash = hash_password(password)
    with uow.write() as tx:
        agency = tx.directory.get_agency(agency_code.strip().upper())
        created = tx.directory.add_actor(name, agency, actor_role, password_hash)
        tx.audit.append(
            AuditEvent(
                AuditOperation.COLLECTION,
                actor,
                (f"actor:{created.id}",),
                {"agency": agency.code, "role": actor_role.value},
            )
        )
    return created


def list_users(uow: UnitOfWork) -> list[Actor]:
    """Return every user account (never password hashes)."""
    with uow.read() as tx:
        return tx.directory.list_actors()
