"""Equality monitoring (R24): the people flagged in the latest assessment run, and those holding
each role in the latest map, by ethnic group, age band and sex, against the configured
baseline (`assess.baseline`), with an alert where a distribution departs from it
(`assess.equality`).

A person's ethnicity, sex (or gender) and date of birth come from the Person statements of
every record resolution joined into them; where the records disagree the most frequent value
is taken, and a tie is counted as "records disagree", never settled by a guess. Ages are on
the run's or the snapshot's date.

Aggregates only: no person is listed, and counts under SMALL_NUMBERS are shown as "fewer
than 5", with a second cell withheld wherever one alone could be worked out from a total (as
official statistics do); figures derived from a withheld count are withheld with it. The
figures cover every flagged person, whichever agency's records flagged them: they are
statistics for oversight, not a read of anyone's record. Analysts, MACE chairs and auditors
see them (`governance.policy.may_monitor_equality`); each view is one consultation event naming
the runs it rests on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from linemap.assess.baseline import AlertRule, Baseline, Dimension, packaged, parse_baseline
from linemap.assess.equality import SMALL_NUMBERS, Table, compare, group_of
from linemap.errors import ConfigurationError, Forbidden
from linemap.governance.actor import Actor
from linemap.governance.audit import AuditEvent
from linemap.governance.policy import may_monitor_equality
from linemap.model.vocabulary import AuditOperation
from linemap.network.role import RoleKind
from linemap.settings import Settings
from linemap.store.unit_of_work import Transaction, UnitOfWork

FEWER = f"fewer than {SMALL_NUMBERS}"
WITHHELD = "withheld, so that a small number cannot be worked out from the total"


def load_baseline(path: Path | None) -> Baseline:
    """Return the configured baseline (the packaged one when none is configured)."""
    if path is None:
        return packaged()
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigurationError(
            f"the equality baseline {path} does not exist; set LINEMAP_EQUALITY_BASELINE to a"
            " baseline file, or unset it to use the packaged baseline"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigurationError(
            f"the equality baseline {path} cannot be read as UTF-8 text ({type(error).__name__});"
            " check the file and its permissions"
        ) from None
    return parse_baseline(text, str(path))


@dataclass(frozen=True)
class ShownRow:
    """A group's figures as shown: None where a small number would be disclosed."""

    group: str
    label: str
    count: int | None
    note: str | None  # why the count is not shown
    share: float | None  # of everyone in the population
    share_tested: float | None  # of those with a value the baseline covers
    baseline: float | None
    expected: float | None
    ratio: float | None
    relative_rate: float | None
    p_value: float | None
    departs: bool


@dataclass(frozen=True)
class ShownTable:
    """One dimension of one population, as shown."""

    dimension: str
    label: str
    source: str
    total: int | None
    tested: int | None
    rows: list[ShownRow]
    statistic: float | None
    df: int | None
    p_value: str | None  # "p = 0.0042", or a band where a count is withheld
    method: str | None
    alert: bool
    reason: str
    caveats: list[str]


@dataclass(frozen=True)
class Population:
    """The people flagged, or holding one role, and their tables."""

    id: str
    label: str
    as_of: str
    people: int | None  # None: fewer than 5
    tables: list[ShownTable]


@dataclass(frozen=True)
class Monitoring:
    """What the equality view shows."""

    baseline: str  # id@version
    title: str
    published: str
    sources: list[str]
    rule: AlertRule
    assessment_run: int | None
    snapshot: int | None
    populations: list[Population]
    notes: list[str] = field(default_factory=list)

    @property
    def alerts(self) -> int:
        """Return how many tables raise an alert."""
        return sum(t.alert for p in self.populations for t in p.tables)


def _withheld(table: Table) -> dict[str, str]:
    """Return the rows whose counts are not shown, and why: under SMALL_NUMBERS, and one more
    wherever one alone could be worked out from its part's total (tested or not)."""
    hidden = {r.group: FEWER for r in table.rows if 0 < r.count < SMALL_NUMBERS}
    for tested in (True, False):
        part = [r for r in table.rows if r.tested is tested]
        if sum(r.group in hidden for r in part) == 1:
            rest = sorted((r for r in part if r.group not in hidden), key=lambda r: r.count)
            if rest:
                hidden[rest[0].group] = WITHHELD
    return hidden


def _p_text(p: float | None, exact: bool) -> str | None:
    if p is None:
        return None
    if p < 0.001 or not exact:
        band = next((b for b in (0.001, 0.01, 0.05) if p < b), None)
        return f"p < {band}" if band else "p ≥ 0.05"
    return f"p = {p:.2g}"


def show(table: Table, dimension: Dimension, rule: AlertRule) -> ShownTable:
    """Return a table as it may be shown (see the module docstring)."""
    hidden = _withheld(table)
    enough = table.tested >= SMALL_NUMBERS
    ref = dimension.reference is not None and dimension.reference not in hidden
    rows = []
    for r in table.rows:
        seen = r.group not in hidden
        rows.append(
            ShownRow(
                r.group,
                r.label,
                r.count if seen else None,
                hidden.get(r.group),
                round(r.count / table.total, 3) if seen and table.total else None,
                round(r.count / table.tested, 3) if seen and r.tested and enough else None,
                None if r.baseline is None else round(r.baseline, 4),
                None if r.expected is None or not enough else round(r.expected, 1),
                None if r.ratio is None or not (seen and enough) else round(r.ratio, 2),
                None
                if r.relative_rate is None or not (seen and ref)
                else round(r.relative_rate, 2),
                None if r.p_value is None or not seen else float(f"{r.p_value:.2g}"),
                r.departs,
            )
        )
    exact = not hidden
    return ShownTable(
        table.dimension,
        table.label,
        dimension.source,
        table.total if table.total >= SMALL_NUMBERS or not table.total else None,
        table.tested if enough or not table.tested else None,
        rows,
        None if table.statistic is None or not exact else round(table.statistic, 2),
        table.df,
        _p_text(table.p_value, exact),
        table.method,
        table.alert,
        _reason(table, rows, rule, _p_text(table.p_value, exact)),
        list(table.caveats),
    )


def _reason(table: Table, rows: list[ShownRow], rule: AlertRule, p: str | None) -> str:
    if table.alert:
        parts = [
            f"{shown.label}: {shown.ratio} times the expected number"
            if shown.ratio is not None
            else f"{shown.label}: {'more' if (row.ratio or 0) > 1 else 'fewer'} than expected"
            " (count withheld)"
            for row, shown in zip(table.rows, rows, strict=True)
            if row.departs
        ]
        return f"departs from the baseline ({p}, {table.method}): {'; '.join(parts)}"
    what = table.label.lower()
    if table.method is None and not any(r.tested for r in table.rows):
        return f"no alert: no baseline for {what}, shown only"
    if table.method is None:
        return f"no alert: nobody here has a recorded {what} the baseline covers"
    if table.tested < rule.min_people:
        return f"no alert: fewer than {rule.min_people} people to test"
    if table.p_value is not None and table.p_value >= rule.alpha:
        return f"no alert: in line with the baseline ({p})"
    return (
        f"no alert: {p}, but no group is outside {rule.low}-{rule.high} times its expected"
        f" number with its own p-value under {rule.alpha}"
    )


def monitor(
    uow: UnitOfWork, settings: Settings, actor: Actor, purpose: str | None = None
) -> Monitoring:
    """Return the equality figures of the latest assessment run and map; the view is logged."""
    if not may_monitor_equality(actor):
        raise Forbidden("equality monitoring is for analysts, MACE chairs and auditors")
    baseline = load_baseline(settings.equality_baseline)
    props = sorted({p for d in baseline.dimensions for p in d.properties})
    with uow.read() as tx:
        run, snapshot, populations, notes = _read(tx, props)
    result = Monitoring(
        baseline.reference,
        baseline.title,
        baseline.published,
        list(baseline.sources),
        baseline.alert,
        run,
        snapshot,
        [_population(baseline, *p) for p in populations],
        notes,
    )
    _log(uow, actor, purpose, result)
    return result


Read = tuple[str, str, str, set[str], dict[str, list[tuple[str, str]]]]


def _read(
    tx: Transaction, props: list[str]
) -> tuple[int | None, int | None, list[Read], list[str]]:
    """Read the flagged people and each role's holders, with what their records say of them."""
    repo = tx.equality
    populations: list[Read] = []
    notes = []
    run = repo.latest_assessment()
    if run is None:
        notes.append("no assessment run yet: flags appear after `linemap assess`")
    else:
        people = repo.flagged(run.id)
        values = repo.values(run.resolution_run_id, people, props)
        label = f"Flagged in assessment run {run.id}"
        populations.append(("flagged", label, run.as_of, people, values))
    snapshot = tx.network.latest_snapshot()
    if snapshot is None:
        notes.append("no network map yet: roles appear after `linemap map`")
    else:
        holders = repo.role_holders(snapshot.id)
        everyone = set().union(*holders.values()) if holders else set()
        values = repo.values(snapshot.resolution_run_id, everyone, props)
        for role in RoleKind:
            label = f"Role in map {snapshot.id}: {role.value.replace('_', ' ')}"
            found = holders.get(role.value, set())
            populations.append((role.value, label, snapshot.as_of, found, values))
    return run.id if run else None, snapshot.id if snapshot else None, populations, notes


def _population(
    baseline: Baseline,
    key: str,
    label: str,
    as_of: str,
    people: set[str],
    values: dict[str, list[tuple[str, str]]],
) -> Population:
    """Count a population's people into each dimension's groups and compare."""
    on = date.fromisoformat(as_of[:10])
    tables = []
    for dimension in baseline.dimensions:
        counts: Counter[str] = Counter()
        for person in people:
            given = [v for p, v in values.get(person, []) if p in dimension.properties]
            counts[group_of(dimension, given, on)] += 1
        table = compare(dimension, counts, baseline.alert)
        tables.append(show(table, dimension, baseline.alert))
    size = len(people)
    return Population(
        key,
        label,
        as_of,
        size if size >= SMALL_NUMBERS or not size else None,
        tables if people else [],
    )


def _log(uow: UnitOfWork, actor: Actor, purpose: str | None, shown: Monitoring) -> None:
    """DPA 2018 s.62: the view is a consultation, logged (with the runs it rests on) before
    anything is shown."""
    with uow.write() as tx:
        tx.audit.append(
            AuditEvent(
                AuditOperation.CONSULTATION,
                actor.username,
                ("equality_monitoring",),
                {
                    "view": "equality monitoring",
                    "assessment_run": shown.assessment_run,
                    "network_snapshot": shown.snapshot,
                    "baseline": shown.baseline,
                    "alerts": shown.alerts,
                },
                justification=purpose,
                actor_agency=actor.agency_code,
                actor_role=actor.role.value,
            )
        )
