"""Reading the criteria in agency records: observations from statements, and whether they flag.

The rules are data (`observations.yaml`, versioned with the criteria set they read). A record
about a person is read event by event: a rule matches an event by its kind and/or a property
matching a pattern, and the statements that matched become the observation's evidence, with the
record's grading. Rules marked `out_of_area` also need the event's place outside every home the
person's records give; rules on the person read their recorded vulnerabilities.

`decide` turns what a person's records show into a flag, or into the reasons there is none. The
rules of `assess.rules` come first (no flag on association, weak grading, culture or
vulnerability alone); then the evidence must be enough: a strong sign, or two different signs.
An exploitation flag is for a child (on the day of a sign; where no record gives a date of
birth, a record stating an age under 18) or for a vulnerable adult: one whose
records show a factor of care and support needs, or whom an agency records as the victim in a
record showing a strong sign. An adult who is neither is not flagged as exploited.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

import yaml

from linemap.assess.criteria import CriteriaSet, Criterion, CriterionKind, EvidenceKind
from linemap.assess.criteria import current as current_criteria
from linemap.assess.rules import (
    Evidence,
    Flag,
    FlagKind,
    Observation,
    RiskLevel,
    is_child,
    propose_flag,
    refusals,
)
from linemap.errors import ConfigurationError
from linemap.model.grading import Grading

Place = tuple[str, str]  # ("postcode", "CT") or ("authority", "kent")
_POSTCODE_AREA = re.compile(r"^\s*([A-Za-z]{1,2})\d")
_HOME_ROLES = frozenset({"missing_from"})
_HIGH = re.compile(r"high|significant", re.I)
# An age a record states where it has no date of birth ("about 15" in a community concern).
_STATED_AGE = re.compile(r"^\s*(?:about|aged?|approx(?:imately)?\.?)?\s*(\d{1,2})\s*$", re.I)
_MEDIUM = re.compile(r"medium|moderate", re.I)


@dataclass(frozen=True, slots=True)
class Fact:
    """One statement of a record: the entity's key in its record, schema, property, value."""

    statement_id: int
    entity: str
    schema: str
    prop: str
    value: str


@dataclass(frozen=True)
class RecordFacts:
    """A record about a person: its statements, whom it is about and how it is graded."""

    record_id: int
    recorded: date | None
    subject: str  # the subject Person's key in the record
    facts: tuple[Fact, ...]
    grading: Grading | None = None
    legacy: str | None = None  # a 5x5x5 grade as recorded
    victim: bool = False  # the agency records the subject as a victim (DPA 2018 s.38(3)(c))


@dataclass(frozen=True)
class Rule:
    """When a record shows a criterion."""

    criterion: Criterion
    event_kinds: frozenset[str] = frozenset()
    match: tuple[tuple[str, re.Pattern[str]], ...] = ()
    person: tuple[tuple[str, re.Pattern[str]], ...] = ()
    out_of_area: bool = False
    strong: bool = False


@dataclass(frozen=True)
class RuleSet:
    """The versioned rules and the criteria set they read."""

    id: str
    version: str
    criteria: CriteriaSet
    rules: tuple[Rule, ...]
    signs_needed: Mapping[
        CriterionKind, int
    ]  # different counting signs flagging without a strong one
    vulnerable_adult: frozenset[str]  # the factors that make an adult a vulnerable adult

    @property
    def reference(self) -> str:
        """Return how a flag cites these rules: `id@version`."""
        return f"{self.id}@{self.version}"

    @property
    def event_rules(self) -> tuple[Rule, ...]:
        """Return the rules on events."""
        return tuple(r for r in self.rules if not r.person)


def _patterns(spec: object) -> tuple[tuple[str, re.Pattern[str]], ...]:
    items = dict(spec or {}).items()  # type: ignore[call-overload]
    return tuple((str(prop), re.compile(str(pattern), re.I)) for prop, pattern in items)


@cache
def current() -> RuleSet:
    """Return the rules in force, checked against the criteria set they name."""
    text = resources.files("linemap.assess").joinpath("observations.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    criteria = current_criteria()
    if data["criteria"] != criteria.reference:
        raise ConfigurationError(
            f"observations.yaml reads {data['criteria']} but {criteria.reference} is in force;"
            " update the rules with the criteria"
        )
    rules = tuple(
        Rule(
            criteria.get(item["criterion"]),
            frozenset(item.get("event_kind", ())),
            _patterns(item.get("match")),
            _patterns(item.get("person")),
            bool(item.get("out_of_area")),
            bool(item.get("strong")),
        )
        for item in data["rules"]
    )
    vulnerable = frozenset(criteria.get(c).id for c in data["vulnerable_adult"])
    return RuleSet(
        data["id"],
        str(data["version"]),
        criteria,
        rules,
        {CriterionKind(k): int(v) for k, v in data["signs_needed"].items()},
        vulnerable,
    )


@dataclass(frozen=True)
class Candidate:
    """A rule seen in one record; out-of-area rules wait for the person's homes."""

    rule: Rule
    evidence: tuple[Evidence, ...]
    on: date | None
    places: frozenset[Place] = frozenset()


def _places(props: dict[str, tuple[str, int]]) -> set[Place]:
    found: set[Place] = set()
    postcode = _POSTCODE_AREA.match(props.get("postcode", ("", 0))[0])
    if postcode:
        found.add(("postcode", postcode.group(1).upper()))
    authority = props.get("local_authority", ("", 0))[0].strip().lower()
    if authority:
        found.add(("authority", authority))
    return found


def _away(event: frozenset[Place], homes: set[Place]) -> bool:
    """Return whether an event's place lies outside every home, comparing like with like."""
    verdicts = [
        {v for k, v in event if k == kind}.isdisjoint({v for k, v in homes if k == kind})
        for kind in ("postcode", "authority")
        if any(k == kind for k, _ in event) and any(k == kind for k, _ in homes)
    ]
    return bool(verdicts) and all(verdicts)


@dataclass
class PersonFile:
    """What one person's records show, gathered record by record."""

    records: set[int] = field(default_factory=set)
    candidates: list[Candidate] = field(default_factory=list)
    homes: set[Place] = field(default_factory=set)
    births: Counter[str] = field(default_factory=Counter)
    authorities: Counter[str] = field(default_factory=Counter)
    panel_risk: RiskLevel = RiskLevel.NONE
    victim_of: set[str] = field(default_factory=set)  # strong signs in records naming a victim
    stated_child: bool = False  # a record without a date of birth states an age under 18

    def add(self, record: RecordFacts, rules: RuleSet) -> None:
        """Read one record about this person."""
        self.records.add(record.record_id)
        entities: dict[str, dict[str, tuple[str, int]]] = {}
        schemas: dict[str, str] = {}
        for fact in record.facts:
            entities.setdefault(fact.entity, {})[fact.prop] = (fact.value, fact.statement_id)
            schemas[fact.entity] = fact.schema

        def evidence(statement_id: int) -> Evidence:
            return Evidence(statement_id, record.record_id, record.grading, record.legacy)

        located: dict[str, set[Place]] = {}
        for key, props in entities.items():
            schema = schemas[key]
            end = props.get("address") or props.get("placement") or props.get("location")
            address = entities.get(end[0].rpartition("#")[2], {}) if end else {}
            if schema in ("ResidesAt", "PlacedAt") or (
                schema == "OccurredAt" and props.get("role", ("", 0))[0] in _HOME_ROLES
            ):
                self.homes |= _places(address)
                if address.get("local_authority"):
                    self.authorities[address["local_authority"][0]] += 1
            elif schema == "OccurredAt" and "event" in props:
                event_key = props["event"][0].rpartition("#")[2]
                located.setdefault(event_key, set()).update(_places(address))
        subject = entities.get(record.subject, {})
        if "birth_date" in subject:
            self.births[subject["birth_date"][0]] += 1
        stated = _STATED_AGE.match(subject.get("note", ("", 0))[0])
        if stated and int(stated.group(1)) < 18:
            self.stated_child = True
        for rule in rules.rules:
            if rule.person:
                hits = [
                    subject[prop][1]
                    for prop, pattern in rule.person
                    if prop in subject and pattern.search(subject[prop][0])
                ]
                if hits:
                    self.candidates.append(
                        Candidate(rule, tuple(map(evidence, hits)), record.recorded)
                    )
        for key, props in entities.items():
            if schemas[key] != "Event":
                continue
            self._event(key, props, record, rules, evidence, frozenset(located.get(key, ())))

    def _event(
        self,
        key: str,
        props: dict[str, tuple[str, int]],
        record: RecordFacts,
        rules: RuleSet,
        evidence: Callable[[int], Evidence],
        places: frozenset[Place],
    ) -> None:
        kind = props.get("event_kind", ("", 0))
        on = record.recorded
        if "date" in props:
            with contextlib.suppress(ValueError):
                on = date.fromisoformat(props["date"][0][:10])
        if kind[0] == "mace_discussion" and "risk_level" in props:
            level = props["risk_level"][0]
            seen = (
                RiskLevel.HIGH
                if _HIGH.search(level)
                else RiskLevel.MEDIUM
                if _MEDIUM.search(level)
                else RiskLevel.NONE
            )
            self.panel_risk = max(self.panel_risk, seen, key=list(RiskLevel).index)
        for rule in rules.event_rules:
            if rule.event_kinds and kind[0] not in rule.event_kinds:
                continue
            if rule.match:
                hits = [
                    props[prop][1]
                    for prop, pattern in rule.match
                    if prop in props and pattern.search(props[prop][0])
                ]
                if not hits:
                    continue
            else:
                hits = [kind[1]]
            made = Candidate(rule, tuple(map(evidence, hits)), on, places)
            self.candidates.append(made)
            if record.victim and rule.strong and any(e.usable for e in made.evidence):
                self.victim_of.add(rule.criterion.id)

    def birth_date(self) -> str | None:
        """Return the date of birth the records give most often (None when none does)."""
        return self.births.most_common(1)[0][0] if self.births else None

    def home_authority(self) -> str | None:
        """Return the local authority the person's homes name most often."""
        return self.authorities.most_common(1)[0][0] if self.authorities else None

    def observations(self, today: date) -> tuple[tuple[Observation, bool], ...]:
        """Return each criterion seen, with its evidence merged, and whether a strong rule
        saw it; out-of-area rules count only where the place lies outside every home."""
        merged: dict[str, tuple[Criterion, list[Evidence], date, bool]] = {}
        for c in self.candidates:
            if c.rule.out_of_area and not _away(c.places, self.homes):
                continue
            on = c.on or today
            criterion, items, latest, strong = merged.get(
                c.rule.criterion.id, (c.rule.criterion, [], on, False)
            )
            items.extend(e for e in c.evidence if e not in items)
            merged[c.rule.criterion.id] = (
                criterion,
                items,
                max(latest, on),
                strong or c.rule.strong,
            )
        return tuple(
            (Observation(criterion, tuple(items), latest), strong)
            for criterion, items, latest, strong in merged.values()
        )


@dataclass(frozen=True)
class Outcome:
    """What a person's records came to: the flags raised, and why others were not."""

    flags: tuple[Flag, ...]
    reasons: tuple[str, ...]


def _enough(seen: Iterable[tuple[Observation, bool]], kind: CriterionKind) -> tuple[int, int]:
    counting = [(o, strong) for o, strong in seen if o.criterion.kind is kind and o.counts]
    return sum(1 for _, strong in counting if strong), len(counting)


def decide(subject: str, person: PersonFile, rules: RuleSet, today: date) -> Outcome:
    """Return the flags this person's records support, or the reasons they do not."""
    seen = person.observations(today)
    observations = tuple(o for o, _ in seen)
    birth = person.birth_date()
    flags: list[Flag] = []
    reasons: list[str] = []
    for kind, needed in (
        (FlagKind.EXPLOITATION, CriterionKind.SIGN),
        (FlagKind.CUCKOOING, CriterionKind.CUCKOOING),
    ):
        if not any(o.criterion.kind is needed for o in observations):
            continue
        refused = refusals(kind, observations)
        strong, counting = _enough(seen, needed)
        vulnerable = any(o.criterion.id in rules.vulnerable_adult for o in observations) or any(
            o.criterion.id in person.victim_of for o in observations if o.counts
        )
        child_then = (birth is None and person.stated_child) or (
            birth is not None
            and any(
                is_child(birth, c.on or today)
                for c in person.candidates
                if c.rule.criterion.kind is needed
                and c.rule.criterion.evidence is EvidenceKind.BEHAVIOUR
                and any(e.usable for e in c.evidence)
            )
        )
        if refused:
            reasons.extend(refused)
        elif not strong and counting < rules.signs_needed[needed]:
            label = "signs" if needed is CriterionKind.SIGN else "cuckooing signs"
            reasons.append(
                f"fewer than {rules.signs_needed[needed]} different {label} and none strong"
                " enough alone"
            )
        elif kind is FlagKind.EXPLOITATION and not (child_then or vulnerable):
            reasons.append(
                "not a child when the signs were seen (or no date of birth recorded), and no"
                " recorded vulnerability that makes an adult a vulnerable adult"
            )
        else:
            risk = (
                RiskLevel.HIGH
                if strong >= 2 or person.panel_risk is RiskLevel.HIGH
                else RiskLevel.MEDIUM
                if strong or person.panel_risk is RiskLevel.MEDIUM
                else RiskLevel.LOW
            )
            flags.append(
                propose_flag(
                    subject,
                    kind,
                    observations,
                    criteria=rules.criteria.reference,
                    birth_date=birth,
                    raised_by=f"rule:{rules.reference}",
                    today=today,
                    risk=risk,
                )
            )
    return Outcome(tuple(flags), tuple(reasons))
