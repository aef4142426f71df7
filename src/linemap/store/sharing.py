"""Information sharing agreements."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import Connection, insert, select, update

from linemap.errors import AlreadyExists, NotFound
from linemap.governance.policy import Isa
from linemap.model.vocabulary import Role, Tlp
from linemap.store.tables import agency, isa, isa_party


class SharingRepository:
    """Reads and writes information sharing agreements."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_isa(self, new: Isa, created_by: str) -> Isa:
        """Store an agreement; its parties must be known agencies."""
        if self.connection.execute(select(isa.c.id).where(isa.c.code == new.code)).first():
            raise AlreadyExists(f"agreement {new.code} already exists; choose another code")
        ids = dict(
            self.connection.execute(
                select(agency.c.code, agency.c.id).where(agency.c.code.in_(sorted(new.parties)))
            ).all()
        )
        unknown = sorted(new.parties - set(ids))
        if unknown:
            raise NotFound(f"no agency with code {', '.join(unknown)}; see `linemap agency list`")
        isa_id = self.connection.execute(
            insert(isa)
            .values(
                code=new.code,
                purpose=new.purpose,
                lawful_basis=new.lawful_basis,
                roles=json.dumps(sorted(r.value for r in new.roles)),
                record_kinds=json.dumps(sorted(new.record_kinds)),
                start_date=new.start.isoformat(),
                end_date=new.end.isoformat(),
                max_tlp=new.max_tlp.value,
                created_by=created_by,
                created_at=datetime.now(UTC).isoformat(),
            )
            .returning(isa.c.id)
        ).scalar_one()
        self.connection.execute(
            insert(isa_party), [{"isa_id": isa_id, "agency_id": ids[c]} for c in sorted(ids)]
        )
        return Isa(**{**new.__dict__, "id": isa_id})

    def list_isas(self) -> list[Isa]:
        """Return every agreement, in force or not, by code."""
        parties: dict[int, set[str]] = {}
        for isa_id, code in self.connection.execute(
            select(isa_party.c.isa_id, agency.c.code).join(
                agency, agency.c.id == isa_party.c.agency_id
            )
        ):
            parties.setdefault(isa_id, set()).add(code)
        return [
            Isa(
                r.id,
                r.code,
                r.purpose,
                r.lawful_basis,
                frozenset(parties.get(r.id, ())),
                frozenset(Role(v) for v in json.loads(r.roles)),
                frozenset(json.loads(r.record_kinds)),
                date.fromisoformat(r.start_date),
                date.fromisoformat(r.end_date),
                Tlp(r.max_tlp),
            )
            for r in self.connection.execute(select(isa).order_by(isa.c.code))
        ]

    def end_isa(self, code: str, on: date) -> None:
        """End an agreement on a day (access under it stops after that day)."""
        done = self.connection.execute(
            update(isa).where(isa.c.code == code).values(end_date=on.isoformat())
        ).rowcount
        if not done:
            raise NotFound(f"no agreement with code {code}; see `linemap isa list`")
