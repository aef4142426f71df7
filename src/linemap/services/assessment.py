"""Raising flags from the records: `linemap assess`.

Every current record about a resolved person (the latest resolution run's subject mentions) is
read for the criteria (`assess.observe`), person by person the evidence is weighed against the
rules (`assess.rules`), and the flags are stored whole as a new, versioned assessment run that
cites the criteria set and the observation rules. Like a resolution run or a map, a run is
derived data and never edited; it combines records of many agencies and is audited as one
combination in the transaction that stores it. Its summary holds counts only: how many flags of
each kind and risk, and why others were not raised.

A flag names its person by the resolution run's person id and by an anchor entity (the first of
the person's subject mentions), which stays the same across runs; cases follow the anchor.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from linemap.assess.observe import Fact, PersonFile, RecordFacts, current, decide
from linemap.assess.rules import Flag
from linemap.errors import NotFound
from linemap.governance.audit import AuditEvent
from linemap.model.grading import Grading
from linemap.model.vocabulary import AuditOperation
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork

Progress = Callable[[str], None]
PROPERTIES = {
    "Person": ("birth_date", "vulnerability", "note"),
    "Event": ("event_kind", "date", "summary", "offence", "items_seized", "risk_level"),
    "Address": ("postcode", "local_authority"),
    "ResidesAt": ("resident", "address"),
    "PlacedAt": ("child", "placement"),
    "OccurredAt": ("event", "location", "role"),
}


@dataclass(frozen=True)
class AssessSummary:
    """What an assessment run raised: counts only, never names."""

    run_id: int
    resolution_run: int
    criteria: str
    rules: str
    as_of: str
    people: int
    flags: int
    children: int
    by_kind: dict[str, int]
    by_risk: dict[str, int]
    not_raised: dict[str, int]

    def as_json(self) -> dict[str, object]:
        """Return the summary as plain JSON values."""
        return asdict(self)


def _grading(
    codes: tuple[str | None, str | None, str | None, str | None, str | None],
) -> tuple[Grading | None, str | None, bool]:
    """Return a qualifier's 3x5x2 grading or legacy grade, and whether it names a victim."""
    source, intelligence, _, legacy, category = codes
    victim = category == "victim"
    if source and intelligence:
        return Grading.parse(f"{source}{intelligence}"), None, victim
    return None, legacy or None, victim


def assess(
    uow: UnitOfWork,
    settings: Settings,
    *,
    progress: Progress | None = None,
    as_of: date | None = None,
) -> AssessSummary:
    """Read every record about a resolved person, raise the flags they support and store them
    as a new assessment run."""
    say = progress or (lambda _: None)
    day = as_of or date.today()
    rules = current()
    started = datetime.now(UTC).isoformat()
    files: dict[str, PersonFile] = {}
    anchors: dict[str, str] = {}
    with uow.read() as tx:
        run = tx.resolution.latest_run()
        if run is None:
            raise NotFound("no resolution run yet: run `linemap resolve`")
        say("reading whom each record is about")
        subjects = tx.safeguarding.subjects(run.id)
        gradings = {k: _grading(v) for k, v in tx.safeguarding.gradings().items()}
        say("reading the records")
        for source in tx.safeguarding.iter_evidence(PROPERTIES):
            about = subjects.get(source.record_id)
            if about is None:
                continue
            person, entity = about
            facts = tuple(Fact(*s[:5]) for s in source.statements)
            key = entity.rpartition("#")[2]
            grading, legacy, _ = next(
                (gradings[s[5]] for s in source.statements if s[2] == "Event"), (None, None, False)
            )
            victim = any(gradings[s[5]][2] for s in source.statements if s[1] == key)
            recorded = _day(source.recorded)
            files.setdefault(person, PersonFile()).add(
                RecordFacts(source.record_id, recorded, key, facts, grading, legacy, victim),
                rules,
            )
            anchors[person] = min(anchors.get(person, entity), entity)
    say("weighing the evidence person by person")
    flags: list[tuple[str, Flag, str | None]] = []
    not_raised: Counter[str] = Counter()
    for person in sorted(files):
        outcome = decide(person, files[person], rules, day)
        not_raised.update(outcome.reasons)
        flags.extend((person, f, files[person].home_authority()) for f in outcome.flags)
    say("storing the flags")
    with uow.write() as tx:
        run_id = tx.safeguarding.add_run(
            started_at=started,
            actor=settings.actor,
            resolution_run_id=run.id,
            criteria=rules.criteria.reference,
            as_of=str(day),
        )
        tx.safeguarding.add_flags(_flag_rows(run_id, flags, anchors))
        summary = AssessSummary(
            run_id,
            run.id,
            rules.criteria.reference,
            rules.reference,
            str(day),
            len(files),
            len(flags),
            sum(1 for _, f, _ in flags if f.child),
            dict(Counter(f.kind.value for _, f, _ in flags)),
            dict(Counter(f.risk.value for _, f, _ in flags)),
            dict(not_raised.most_common()),
        )
        tx.safeguarding.finish_run(
            run_id,
            finished_at=datetime.now(UTC).isoformat(),
            people=len(files),
            flags=len(flags),
            summary=json.dumps(summary.as_json()),
        )
        tx.audit.append(
            AuditEvent(
                AuditOperation.COMBINATION,
                settings.actor,
                (f"assessment_run:{run_id}",),
                {
                    "resolution_run": run.id,
                    "criteria": rules.criteria.reference,
                    "people": len(files),
                    "flags": len(flags),
                },
            )
        )
    return summary


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _flag_rows(
    run_id: int, flags: list[tuple[str, Flag, str | None]], anchors: dict[str, str]
) -> Iterator[tuple[object, ...]]:
    for flag_id, (person, flag, authority) in enumerate(flags, start=1):
        records = sorted({e.record_id for o in flag.observations for e in o.evidence})
        observations = [
            {
                "criterion": o.criterion.id,
                "label": o.criterion.label,
                "kind": o.criterion.kind.value,
                "evidence_kind": o.criterion.evidence.value,
                "observed_on": o.observed_on.isoformat(),
                "counts": o.counts,
                "evidence": [
                    {
                        "statement": e.statement_id,
                        "record": e.record_id,
                        "grading": e.grading.code if e.grading else e.legacy,
                        "usable": e.usable,
                    }
                    for e in o.evidence
                ],
            }
            for o in flag.observations
        ]
        yield (
            run_id,
            flag_id,
            person,
            anchors[person],
            flag.kind.value,
            flag.child,
            flag.frame.value,
            flag.risk.value,
            flag.raised_by,
            flag.raised_on.isoformat(),
            flag.review_by.isoformat(),
            authority,
            " ".join(map(str, records)),
            json.dumps(observations),
        )
