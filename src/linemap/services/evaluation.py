"""Score what linemap holds against a simulated region's truth.json, stage by stage.

Each stage is a function from (truth, what is stored) to a StageResult; a stage whose part of
linemap does not exist yet says so and names what it waits for, so later issues plug in by
replacing one function.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from linemap.errors import InvalidInput, MappingError
from linemap.intake.mapping import load_mapping
from linemap.services import safeguarding
from linemap.services.network import map_address_key
from linemap.services.region import read_json
from linemap.simulate.metric import (
    Score,
    adjusted_rand_index,
    b_cubed,
    pairwise,
    precision_at_k,
    set_score,
)
from linemap.store.unit_of_work import Transaction, UnitOfWork

Truth = dict[str, Any]


@dataclass(frozen=True)
class StageResult:
    """One stage's scores, or why it cannot be scored yet."""

    stage: str
    available: bool
    metrics: dict[str, object] = field(default_factory=dict)
    note: str = ""


def read_truth(path: Path) -> Truth:
    """Read truth.json and check it has what scoring needs."""
    truth = read_json(path, f"no truth file at {path}; give DIR/truth.json from `linemap simulate`")
    if not isinstance(truth, dict) or not isinstance(truth.get("records"), dict):
        raise InvalidInput(f"{path} has no 'records' object; is it a linemap truth file?")
    return truth


def evaluate(uow: UnitOfWork, truth_path: Path) -> list[StageResult]:
    """Score every stage against the truth."""
    truth = read_truth(truth_path)
    with uow.read() as tx:
        return [stage(truth, tx) for stage in STAGES]


def _score(score: Score) -> dict[str, object]:
    return {
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
        "f1": round(score.f1, 4),
        "true_positives": score.true_positives,
        "false_positives": score.false_positives,
        "false_negatives": score.false_negatives,
        "caveats": list(score.caveats),
    }


def _intake(truth: Truth, tx: Transaction) -> StageResult:
    """Every good exported row stored, every broken one quarantined."""
    broken = set(truth.get("broken", []))
    expected = set(truth["records"]) - broken
    stored = set(tx.records.iter_record_keys())
    quarantined = set(_quarantined_keys(tx))
    return StageResult(
        "intake",
        True,
        {
            "records_in_truth": len(truth["records"]),
            "stored": _score(set_score(stored, expected)),
            "quarantined_broken_rows": _score(set_score(quarantined, broken)),
        },
    )


def _quarantined_keys(tx: Transaction) -> list[str]:
    columns: dict[str, str | None] = {}
    keys = []
    for agency, mapping, raw in tx.records.iter_quarantined():
        if mapping not in columns:
            try:
                columns[mapping] = load_mapping(mapping).source_ref.column
            except MappingError:
                columns[mapping] = None  # a mapping file no longer at hand
        column = columns[mapping]
        ref = json.loads(raw).get(column, "") if column else ""
        if ref:
            keys.append(f"{agency}:{ref}")
    return keys


def _identity_resolution(truth: Truth, tx: Transaction) -> StageResult:
    """Pairwise and B-cubed scores of the latest run's people against the true identities."""
    run = tx.resolution.latest_run()
    if run is None:
        return StageResult(
            "identity_resolution", False, note="not scored yet: run `linemap resolve`"
        )
    predicted = dict(tx.resolution.iter_subjects(run.id))
    records: dict[str, str] = truth["records"]
    return StageResult(
        "identity_resolution",
        True,
        {
            "run": run.id,
            "mentions": run.mentions,
            "people": run.people,
            "pairwise": _score(pairwise(predicted, records)),
            "b_cubed": _score(b_cubed(predicted, records)),
        },
        note="each record scored by the person it is about (its first person)",
    )


class _Map:
    """The latest network snapshot's findings, with its people read as the truth's identities
    (a person is the identity most of the records they are the subject of belong to)."""

    def __init__(self, truth: Truth, tx: Transaction) -> None:
        self.tx, self.records = tx, truth["records"]
        self.snapshot = tx.network.latest_snapshot()
        self.identities: dict[int, str | None] = {}

    def findings(
        self, kind: str
    ) -> list[tuple[str | None, int | None, str | None, float | None, str]]:
        assert self.snapshot is not None
        return self.tx.network.findings(self.snapshot.id, kind)

    def keys(self, nodes: Collection[int]) -> dict[int, tuple[str, str]]:
        assert self.snapshot is not None
        return self.tx.network.node_keys(self.snapshot.id, nodes)

    def identity(self, nodes: Collection[int]) -> dict[int, str | None]:
        """Return the identity of each person node."""
        wanted = [n for n in nodes if n not in self.identities]
        keys = self.keys(wanted)
        assert self.snapshot is not None
        persons = {key for _, key in keys.values()}  # a mention the run left out finds none
        subjects = _subject_records(self.tx, self.snapshot.resolution_run_id, persons)
        for node, (_, key) in keys.items():
            found = subjects.get(key) or [key.rpartition("#")[0]]
            votes = Counter(i for r in found if (i := self.records.get(r)))
            self.identities[node] = votes.most_common(1)[0][0] if votes else None
        return {n: self.identities.get(n) for n in nodes}


def _unmapped(stage: str) -> StageResult:
    return StageResult(stage, False, note="not scored yet: run `linemap map`")


def _mapped(
    stage: str,
) -> Callable[[Callable[[Truth, _Map], StageResult]], Callable[[Truth, Transaction], StageResult]]:
    def wrap(
        score: Callable[[Truth, _Map], StageResult],
    ) -> Callable[[Truth, Transaction], StageResult]:
        def result(truth: Truth, tx: Transaction) -> StageResult:
            found = _Map(truth, tx)
            return _unmapped(stage) if found.snapshot is None else score(truth, found)

        return result

    return wrap


@_mapped("organisers")
def _organisers(truth: Truth, found: _Map) -> StageResult:
    """Precision at 10 of the organiser ranking (the perpetrator subgraph's), by identity."""
    ranked = [node for _, node, _, _, _ in found.findings("organiser") if node is not None]
    identities = found.identity(ranked)
    order = list(dict.fromkeys(i for n in ranked if (i := identities[n])))
    scores = {k: precision_at_k(order, truth.get("organisers", []), k) for k in (10, 50)}
    return StageResult(
        "organisers",
        True,
        {
            "ranked": len(order),
            **{f"precision_at_{k}": round(v.precision, 4) for k, v in scores.items()},
            "caveats": list(scores[10].caveats),
        },
        note="people ranked on the perpetrator subgraph, read as identities by their records",
    )


@_mapped("lines")
def _lines(truth: Truth, found: _Map) -> StageResult:
    """Line membership against the true members: adjusted Rand index over every true member
    (a member found on no line counts as a line of their own), and how many were found."""
    members = found.findings("member")
    identities = found.identity([n for _, n, _, _, _ in members if n is not None])
    predicted: dict[str, str] = {}
    strength: dict[str, float] = {}
    for line, node, _, score, _ in members:
        identity = identities.get(node) if node is not None else None
        if identity and line and (score or 0.0) > strength.get(identity, -1.0):
            predicted[identity], strength[identity] = line, score or 0.0
    true_line: dict[str, str] = {}
    for line in truth.get("lines", []):
        for member in line["members"]:
            true_line.setdefault(member, line["id"])
    scored = {i: predicted.get(i, f"unassigned:{i}") for i in true_line}
    ari = adjusted_rand_index(scored, true_line)
    return StageResult(
        "lines",
        True,
        {
            "lines_found": len(found.findings("line")),
            "lines_in_truth": len(truth.get("lines", [])),
            "membership_ari": round(ari.value, 4),
            "members_found": _score(set_score(predicted, true_line)),
        },
        note="each identity's strongest membership; cuckooed residents are not members",
    )


def _postcode(kind_key: tuple[str, str]) -> str:
    kind, key = kind_key
    return key.partition("|")[2] if kind == "place" else key.partition("|")[0]


@_mapped("cuckooed_addresses")
def _cuckooed(truth: Truth, found: _Map) -> StageResult:
    """Cuckooed addresses (postcode and dwelling, keyed as the map keys them) against the
    truth's; and their residents named as victims, as (identity, postcode)."""
    rows = found.findings("cuckooed")
    keys = found.keys([n for _, n, _, _, _ in rows if n is not None])
    residents = {
        n: json.loads(d)["residents_as_victims"] for _, n, _, _, d in rows if n is not None
    }
    identities = found.identity([r for rs in residents.values() for r in rs])
    named = {
        f"{identities[r]} {_postcode(keys[n])}"
        for n, rs in residents.items()
        for r in rs
        if identities[r]
    }
    cuckooed = truth.get("cuckooed_addresses", [])
    return StageResult(
        "cuckooed_addresses",
        True,
        {
            "addresses": len(rows),
            "scored": _score(
                set_score({key for _, key in keys.values()}, map(_dwelling, cuckooed))
            ),
            "residents_named": _score(
                set_score(named, {f"{a['identity']} {a['postcode']}" for a in cuckooed})
            ),
        },
        note="an address scored by its postcode and dwelling; a resident as (identity, postcode)",
    )


def _dwelling(address: dict[str, str]) -> str:
    """Key a true cuckooed address as the map keys an address: postcode and dwelling."""
    line = map_address_key(address["address"])
    return f"{address['postcode']}|{line}" if line else address["postcode"]


@_mapped("recruitment_places")
def _places(truth: Truth, found: _Map) -> StageResult:
    """Places to assess as (kind, postcode) against the places where recruitment clustered."""
    rows = found.findings("place")
    keys = found.keys([n for _, n, _, _, _ in rows if n is not None])
    predicted = {f"{label} {_postcode(keys[n])}" for _, n, label, _, _ in rows if n is not None}
    expected = {f"{p['kind']} {p['postcode']}" for p in truth.get("recruitment_places", [])}
    return StageResult(
        "recruitment_places",
        True,
        {"places": len(rows), "scored": _score(set_score(predicted, expected))},
        note="a place scored as (its kind, its postcode)",
    )


def _subject_records(
    tx: Transaction, run_id: int, persons: Collection[str]
) -> dict[str, list[str]]:
    """Return the records ("AGENCY:SOURCE_REF") each of these people is the subject of."""
    return {
        person: [entity.rpartition("#")[0] for entity, _ in members]
        for person, members in tx.resolution.members_of_people(
            run_id, persons, subjects=True
        ).items()
    }


def _flag_identities(truth: Truth, tx: Transaction) -> tuple[int, dict[str, str | None]] | None:
    """Return the latest assessment run and the identity of each flagged person (the identity
    most of the records they are the subject of belong to)."""
    run = tx.safeguarding.latest_run()
    if run is None:
        return None
    persons = {f.person_id for f in tx.safeguarding.flags(run.id)}
    subjects = _subject_records(tx, run.resolution_run_id, persons)
    found: dict[str, str | None] = {}
    for person in persons:
        votes = Counter(i for r in subjects.get(person, []) if (i := truth["records"].get(r)))
        found[person] = votes.most_common(1)[0][0] if votes else None
    return run.id, found


def _exploited(truth: Truth, tx: Transaction) -> StageResult:
    """Children and vulnerable adults flagged, against those truly exploited (by identity)."""
    flagged = _flag_identities(truth, tx)
    if flagged is None:
        return StageResult("exploited", False, note="not scored yet: run `linemap assess`")
    run_id, identities = flagged
    predicted = {i for i in identities.values() if i}
    return StageResult(
        "exploited",
        True,
        {
            "run": run_id,
            "flagged_people": len(identities),
            "scored": _score(set_score(predicted, set(truth.get("exploited", [])))),
        },
        note="a flagged person scored as the identity most of their records belong to",
    )


def _coverage(_truth: Truth, tx: Transaction) -> StageResult:
    """Every flagged child with a referral or a recorded decision (the target is all)."""
    run = tx.safeguarding.latest_run()
    if run is None:
        return StageResult(
            "safeguarding_coverage", False, note="not scored yet: run `linemap assess`"
        )
    children = tx.safeguarding.flags(run.id, children_only=True)
    today = date.fromisoformat(run.as_of)
    cases = safeguarding.cases_by_flag(tx, run.id, children, today, "referral")
    decided = sum(
        1
        for f in children
        if safeguarding.flag_line(f, cases.get((f.run_id, f.flag_id)), today).status != "identified"
    )
    return StageResult(
        "safeguarding_coverage",
        True,
        {
            "run": run.id,
            "flagged_children": len(children),
            "with_referral_or_decision": decided,
            "share": round(decided / len(children), 4) if children else None,
        },
    )


STAGES: list[Callable[[Truth, Transaction], StageResult]] = [
    _intake,
    _identity_resolution,
    _organisers,
    _lines,
    _cuckooed,
    _places,
    _exploited,
    _coverage,
]
