"""Flags from the records and the cases that carry each flagged person to a decision, end to end
on the small simulated region: `linemap assess` against the truth (failing below the
thresholds), the coverage dashboard, steps as named decisions, `linemap cases list` and
`linemap export flagged` as a recorded disclosure. Everyone in a simulated region is invented."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linemap.errors import Forbidden, InvalidInput, NotFound
from linemap.governance.actor import Actor
from linemap.model.vocabulary import Role
from linemap.safeguard.referral import REFERRAL
from linemap.services import cases, evaluation, region, safeguarding
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import load_simulated, run_linemap, snapshot

# Measured on seed 7 (50 exploited): P 0.923, R 0.960. The target (R 0.95 at P 0.85) is
# for the large region (benchmarks/assess_simulator.py); with 50 people one miss is 0.02.
MIN_PRECISION, MIN_RECALL = 0.85, 0.94


@dataclass(frozen=True)
class Assessed:
    folder: Path
    url: str
    uow: UnitOfWork
    summary: dict[str, object]
    today: date


@pytest.fixture(scope="module")
def assessed(tmp_path_factory: pytest.TempPathFactory) -> Assessed:
    """Simulate, load and resolve the small region, then raise flags with `linemap assess`."""
    work = tmp_path_factory.mktemp("safeguarding")
    folder = work / "region"
    region.simulate_region(folder, 7, "small")
    url = f"sqlite:///{work / 'linemap.db'}"
    _, uow = load_simulated(url, folder)
    for step in (("resolve", "--json"), ("assess", "--json")):
        done = run_linemap(url, *step, actor="safeguarding-test")
        assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    return Assessed(folder, url, uow, summary, date.fromisoformat(str(summary["as_of"])))


def _metrics(assessed: Assessed, stage: str) -> dict[str, object]:
    results = evaluation.evaluate(assessed.uow, assessed.folder / "truth.json")
    return next(r for r in results if r.stage == stage).metrics


def _holder(assessed: Assessed, reference: str) -> Actor:
    """A practitioner of the agency holding the first record behind a flag (no ISA in the
    simulated region: each agency reads its own records)."""
    with assessed.uow.read() as tx:
        found = tx.safeguarding.flag(*safeguarding.parse_reference(reference))
        assert found is not None
        agency = tx.safeguarding.agency_of_records(found.record_ids[:1])[found.record_ids[0]]
    return Actor(900, f"screener.{agency.lower()}", agency, Role.PRACTITIONER, True)


def _now(day: date) -> datetime:
    return datetime.combine(day, time(10, 0))


def test_flags_find_the_exploited_above_the_thresholds(assessed: Assessed) -> None:
    scored = _metrics(assessed, "exploited")["scored"]
    assert isinstance(scored, dict)
    assert scored["precision"] >= MIN_PRECISION, scored
    assert scored["recall"] >= MIN_RECALL, scored
    summary = assessed.summary
    assert summary["criteria"] == "county-lines-indicators@2023.2"
    assert int(summary["flags"]) >= int(summary["children"]) > 0  # type: ignore[call-overload]
    reasons = summary["not_raised"]
    assert isinstance(reasons, dict)
    assert any("graded E" in r for r in reasons)  # weak intelligence alone never flags


def test_every_flag_is_in_the_victim_frame_and_cites_its_evidence(assessed: Assessed) -> None:
    with assessed.uow.read() as tx:
        run = tx.safeguarding.latest_run()
        assert run is not None
        flags = tx.safeguarding.flags(run.id)
    for flag in flags:
        assert flag.frame == "victim"
        assert flag.raised_by == "rule:linemap-observations@1"
        observations = json.loads(flag.observations)
        assert any(o["counts"] for o in observations)
        cited = {e["record"] for o in observations for e in o["evidence"]}
        assert cited == set(flag.record_ids)
        assert all(e["statement"] > 0 for o in observations for e in o["evidence"])


def test_nobody_flagged_is_left_without_a_decision(assessed: Assessed) -> None:
    """Every flagged child waits on the dashboard until a named person refers them or records
    a decision; then coverage is complete (the issue's 100% target, on the small region)."""
    before = _metrics(assessed, "safeguarding_coverage")
    assert before["flagged_children"]
    assert before["with_referral_or_decision"] == 0
    with assessed.uow.read() as tx:
        run = tx.safeguarding.latest_run()
        assert run is not None
        children = tx.safeguarding.flags(run.id, children_only=True)
    now = _now(assessed.today)
    screeners = {
        flag.flag_id: _holder(assessed, safeguarding.flag_reference(flag.run_id, flag.flag_id))
        for flag in children
    }
    waiting = {
        line.reference
        for screener in {s.agency_code: s for s in screeners.values()}.values()
        for line in safeguarding.coverage(assessed.uow, screener, assessed.today).outstanding
    }
    assert {safeguarding.flag_reference(f.run_id, f.flag_id) for f in children} <= waiting
    decided: set[str] = set()  # people: one case covers every flag of a person
    for flag in children:
        reference = safeguarding.flag_reference(flag.run_id, flag.flag_id)
        if flag.person_id in decided:
            continue
        decided.add(flag.person_id)
        screener = screeners[flag.flag_id]
        if flag.home_authority:
            case = safeguarding.take_step(
                assessed.uow, screener, reference, "referral", "refer", on=now.date(), now=now
            )
            assert case.state == "referred"
            assert case.steps[-1].by_name == screener.username
            assert json.loads(case.steps[-1].details)["local_authority"] == flag.home_authority
        else:
            with pytest.raises(InvalidInput, match="home local authority"):
                safeguarding.take_step(
                    assessed.uow, screener, reference, "referral", "refer", on=now.date(), now=now
                )
            safeguarding.take_step(
                assessed.uow,
                screener,
                reference,
                "referral",
                "decide_not_to_refer",
                on=now.date(),
                now=now,
                reason="Already open to the home authority's team; recorded there",
            )
    for screener in {s.agency_code: s for s in screeners.values()}.values():
        after = safeguarding.coverage(assessed.uow, screener, assessed.today)
        assert all(not line.child for line in after.outstanding)
    covered = _metrics(assessed, "safeguarding_coverage")
    assert covered["share"] == 1.0
    listed = run_linemap(assessed.url, "cases", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    opened = [json.loads(line) for line in listed.stdout.splitlines()]
    assert 0 < len(opened) <= len(children)  # one case per person, whatever their flags
    assert {c["flag"] for c in opened} <= {
        safeguarding.flag_reference(f.run_id, f.flag_id) for f in children
    }
    assert all(c["state"] in ("referred", "closed") for c in opened)


def test_a_step_outside_the_table_or_by_a_reader_of_nothing_changes_nothing(
    assessed: Assessed,
) -> None:
    with assessed.uow.read() as tx:
        run = tx.safeguarding.latest_run()
        assert run is not None
        flag = next(f for f in reversed(tx.safeguarding.flags(run.id)) if not f.child)
        agencies = {a.code for a in tx.directory.list_agencies()}
    reference = safeguarding.flag_reference(flag.run_id, flag.flag_id)
    screener = _holder(assessed, reference)
    now = _now(assessed.today)
    before = snapshot(assessed.uow)
    with pytest.raises(InvalidInput, match="allowed: refer, decide_not_to_refer"):
        safeguarding.take_step(
            assessed.uow, screener, reference, "referral", "agree_plan", on=now.date(), now=now
        )
    with pytest.raises(InvalidInput, match="reason"):
        safeguarding.take_step(
            assessed.uow,
            screener,
            reference,
            "referral",
            "decide_not_to_refer",
            on=now.date(),
            now=now,
        )
    auditor = Actor(901, "auditor", screener.agency_code, Role.AUDITOR, True)
    with pytest.raises(Forbidden):
        safeguarding.take_step(
            assessed.uow, auditor, reference, "referral", "refer", on=now.date(), now=now
        )
    elsewhere = sorted(agencies - safeguarding_agencies(assessed, flag.record_ids))[0]
    outsider = Actor(902, "outsider", elsewhere, Role.PRACTITIONER, True)
    with pytest.raises(NotFound):
        safeguarding.flag_detail(assessed.uow, outsider, reference, assessed.today)
    with pytest.raises(NotFound):
        safeguarding.take_step(
            assessed.uow, outsider, reference, "referral", "refer", on=now.date(), now=now
        )
    assert snapshot(assessed.uow) == before


def safeguarding_agencies(assessed: Assessed, records: list[int]) -> set[str]:
    with assessed.uow.read() as tx:
        return set(tx.safeguarding.agency_of_records(records).values())


def test_a_flag_shows_only_the_evidence_its_reader_may_read(assessed: Assessed) -> None:
    with assessed.uow.read() as tx:
        run = tx.safeguarding.latest_run()
        assert run is not None
        flags = tx.safeguarding.flags(run.id)
    several = next(f for f in flags if len(safeguarding_agencies(assessed, f.record_ids)) > 1)
    reference = safeguarding.flag_reference(several.run_id, several.flag_id)
    reader = _holder(assessed, reference)
    detail = safeguarding.flag_detail(assessed.uow, reader, reference, assessed.today)
    with assessed.uow.read() as tx:
        agencies = tx.safeguarding.agency_of_records(several.record_ids)
    shown = {r for o in detail.observations for r in o.records}
    assert shown
    assert all(agencies[r] == reader.agency_code for r in shown)
    assert sum(o.withheld for o in detail.observations) > 0


def test_export_flagged_is_a_recorded_disclosure_in_both_formats(
    assessed: Assessed, tmp_path: Path
) -> None:
    with assessed.uow.read() as tx:
        disclosures_before = sum(
            1 for e in tx.audit.iter_events() if e.event.operation.value == "disclosure"
        )
    out = tmp_path / "flagged.jsonl"
    done = run_linemap(assessed.url, "export", "flagged", "--format", "jsonl", "--output", str(out))
    assert done.returncode == 0, done.stderr
    people = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(people) == len({p["person"] for p in people}) > 0
    for person in people:
        assert person["records"]
        assert person["flags"]
        assert {"agency", "source_ref"} == set(person["records"][0])
        assert ("referral_status" in person) != ("decision" in person)
    disclosed = {(r["agency"], r["source_ref"]) for p in people for r in p["records"]}
    with assessed.uow.read() as tx:
        events = [e for e in tx.audit.iter_events() if e.event.operation.value == "disclosure"]
    new = events[disclosures_before:]
    assert len(new) == len(disclosed)
    assert len({e.event.detail.get("disclosure") for e in new[1:]}) == 1
    as_csv = run_linemap(assessed.url, "export", "flagged", "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["person"] for r in rows] == [p["person"] for p in people]


ACTIONS = [t.action for t in REFERRAL.transitions]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(st.sampled_from(ACTIONS), st.booleans()), min_size=1, max_size=8))
def test_random_steps_never_leave_the_table_and_each_has_a_named_decider(
    assessed: Assessed, steps: list[tuple[str, bool]]
) -> None:
    """Whatever is tried, a stored case replays to its stored state, inside the table, and
    every stored step names the person who took it."""
    with assessed.uow.read() as tx:
        run = tx.safeguarding.latest_run()
        assert run is not None
        flag = tx.safeguarding.flags(run.id)[0]
    reference = safeguarding.flag_reference(flag.run_id, flag.flag_id)
    screener = _holder(assessed, reference)
    now = _now(assessed.today)
    for action, with_reason in steps:
        with contextlib.suppress(InvalidInput, Forbidden):
            safeguarding.take_step(
                assessed.uow,
                screener,
                reference,
                "referral",
                action,
                on=now.date(),
                now=now,
                reason="Discussed with the team manager" if with_reason else "",
                details={"local_authority": "Kent", "rag": "amber"},
            )
    with assessed.uow.read() as tx:
        held = tx.safeguarding.cases(workflow="referral")
        stored = tx.safeguarding.steps([c.id for c in held])
    for case in held:
        replayed = cases.case_view(case, stored[case.id], assessed.today)
        assert replayed.state == case.state
        assert case.state in REFERRAL.states
        assert all(s.by_name.strip() and s.by_role.strip() for s in stored[case.id])
        assert Counter(s.seq for s in stored[case.id]).most_common(1)[0][1] == 1
