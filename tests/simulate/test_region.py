"""The simulated region: deterministic, accepted by the intake templates, and truthful."""

from __future__ import annotations

import itertools
import json
import random
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from linemap.errors import InvalidInput
from linemap.intake.mapping import load_mapping
from linemap.intake.normalise import get_normaliser
from linemap.intake.reader import Row, open_table
from linemap.intake.transform import Accepted, Rejected, RowPlan
from linemap.model.vocabulary import AgencyKind
from linemap.simulate import parameter
from linemap.simulate.export import breakables
from linemap.simulate.noise import break_value
from linemap.simulate.region import SIZES, simulate

TODAY = date(2026, 10, 31)
RECORDS = 3_000


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("region") / "out"
    summary = simulate(out, 7, records=RECORDS)
    assert summary.records == pytest.approx(RECORDS, rel=0.02)
    assert summary.files >= 12
    return out


@pytest.fixture(scope="module")
def wide_region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A larger region, for shares that a small one shows only within sampling noise."""
    out = tmp_path_factory.mktemp("wide") / "out"
    simulate(out, 11, records=20_000)
    return out


def _json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_same_seed_gives_the_same_bytes(region: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    simulate(again, 7, records=RECORDS)
    assert _files(again) == _files(region)


def test_a_different_seed_gives_a_different_region(region: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    simulate(other, 8, records=RECORDS)
    assert _files(other)["truth.json"] != _files(region)["truth.json"]


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(InvalidInput):
        simulate(tmp_path, 1, records=100)


def test_sizes_are_the_documented_ones() -> None:
    assert SIZES == {"small": 5_000, "medium": 100_000, "large": 1_000_000}


def test_manifest_agencies_fit_their_templates(region: Path) -> None:
    manifest = _json(region / "manifest.json")
    assert manifest["seed"] == 7
    assert manifest["reference_date"] == "2026-10-31"
    kinds = {a["code"]: a["kind"] for a in manifest["agencies"]}
    assert all(re.fullmatch(r"[A-Z0-9][A-Z0-9_-]{0,31}", code) for code in kinds)
    assert {AgencyKind(k) for k in kinds.values()} >= {AgencyKind.POLICE, AgencyKind.HEALTH}
    for entry in manifest["files"]:
        mapping = load_mapping(entry["mapping"])
        assert not mapping.agency_kinds or kinds[entry["agency"]] in mapping.agency_kinds
        assert (region / entry["path"]).is_file()


def test_every_row_maps_as_intended(region: Path) -> None:
    """Every row of every file is accepted by its template, except the broken ones."""
    manifest = _json(region / "manifest.json")
    truth = _json(region / "truth.json")
    broken = set(truth["broken"])
    seen: Counter[str] = Counter()
    for entry in manifest["files"]:
        mapping = load_mapping(entry["mapping"])
        plan = RowPlan(mapping, entry["agency"], TODAY)
        with open_table(region / entry["path"]) as table:
            assert list(table.columns) == mapping.columns
            for row in table:
                ref = row.values[mapping.source_ref.column or ""]
                key = f"{entry['agency']}:{ref}"
                result = plan.apply(row)
                if key in broken:
                    assert isinstance(result, Rejected), key
                    seen["broken"] += 1
                else:
                    assert isinstance(result, Accepted), (key, result)
                    seen["accepted"] += 1
                assert key in truth["records"]
    assert seen["broken"] == len(broken) > 0
    assert seen["accepted"] + seen["broken"] == len(truth["records"])
    assert 0.002 < len(broken) / len(truth["records"]) < 0.01


def test_some_files_use_other_encodings(region: Path) -> None:
    raw = [p.read_bytes() for p in region.rglob("*.csv")]
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw)
    assert any(not _is_utf8(b) for b in raw)  # a Windows-1252 export


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_truth_is_consistent(region: Path) -> None:
    truth = _json(region / "truth.json")
    identities = truth["identities"]
    assert all(re.fullmatch(r"I\d{6,}", i) for i in identities)
    assert set(truth["records"].values()) <= set(identities)
    assert set(truth["exploited"]) <= set(identities)
    assert set(truth["organisers"]) <= set(identities)
    assert len(truth["lines"]) >= 2
    for line in truth["lines"]:
        assert line["organiser"] in identities
        assert line["phones"]
        assert line["importing_areas"]
        assert line["exporting_area"]
        assert all(re.fullmatch(r"\+447\d{9}", p) for p in line["phones"])
        assert set(line["members"]) <= set(identities)
    members = {m for line in truth["lines"] for m in line["members"]}
    assert set(truth["exploited"]) & members, "some child is both victim and perpetrator"
    assert len(members) < 0.2 * len(identities), "most people have nothing to do with lines"
    assert truth["cuckooed_addresses"]
    assert truth["recruitment_places"]


def test_people_recur_across_rows_and_agencies(region: Path) -> None:
    truth = _json(region / "truth.json")
    agencies_of: dict[str, set[str]] = {}
    for key, identity in truth["records"].items():
        agencies_of.setdefault(identity, set()).add(key.split(":", 1)[0])
    exploited = truth["exploited"]
    assert max(len(a) for a in agencies_of.values()) >= 4
    seen = [len(agencies_of.get(i, ())) for i in exploited]
    assert sum(1 for n in seen if n >= 2) >= len(exploited) // 3
    counts = Counter(truth["records"].values())
    assert len(counts) < len(truth["records"]) * 0.8


def test_lines_reach_the_exports(region: Path) -> None:
    """Most line phones appear in the exports, as do cuckooed addresses."""
    truth = _json(region / "truth.json")
    phones = [p[3:] for line in truth["lines"] for p in line["phones"]]
    text = "".join(p.read_text("utf-8", errors="replace") for p in region.rglob("*.csv"))
    compact = re.sub(r"[ ()+-]", "", text)
    assert sum(1 for p in phones if p in compact) >= len(phones) // 2
    assert "line" in text
    assert "Trap House" in text


def test_every_file_can_be_broken_on_a_column_intake_refuses(region: Path) -> None:
    """Each breakable column of each file, broken as the simulator breaks it, is refused."""
    manifest = _json(region / "manifest.json")
    rng = random.Random(1)
    for entry in manifest["files"]:
        mapping = load_mapping(entry["mapping"])
        breaks = breakables(mapping)
        assert breaks, f"{entry['path']}: no column can be broken"
        plan = RowPlan(mapping, entry["agency"], TODAY)
        with open_table(region / entry["path"]) as table:
            clean = next(r for r in table if isinstance(plan.apply(r), Accepted))
        for column, kind in breaks:
            values = dict(clean.values) | {column: break_value(rng, kind)}
            result = plan.apply(Row(clean.number, values))
            assert isinstance(result, Rejected), (entry["path"], column)
            assert column in {c for c, _ in result.problems}, (entry["path"], column)


def _luhn_valid(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char) * (2 if i % 2 else 1)
        total += d // 10 + d % 10
    return total % 10 == 0


def _day(text: str | None) -> date:
    return date.fromisoformat(text) if text else date.max


def test_line_numbers_change_handsets(region: Path) -> None:
    """Every line number has handsets one after another within its period, with test IMEIs."""
    truth = _json(region / "truth.json")
    imeis: list[str] = []
    counts: Counter[int] = Counter()
    for line in truth["lines"]:
        assert [h["number"] for h in line["phone_history"]] == line["phones"]
        for phone in line["phone_history"]:
            handsets = phone["handsets"]
            counts[len(handsets)] += 1
            assert 1 <= len(handsets) <= 1 + parameter.EXTRA_HANDSETS[1]
            assert handsets[0]["from"] == phone["from"]
            assert handsets[-1]["to"] == phone["to"]
            for h in handsets:
                assert _day(phone["from"]) <= _day(h["from"]) < _day(h["to"]) <= _day(phone["to"])
            for before, after in itertools.pairwise(handsets):
                assert before["to"] == after["from"]
            imeis += [h["imei"] for h in handsets]
    assert all(re.fullmatch(r"00\d{13}", i) and _luhn_valid(i) for i in imeis)
    assert len(set(imeis)) == len(imeis)
    assert counts[1]
    assert sum(n for k, n in counts.items() if k > 1), "some numbers change handset"


def _rows(region: Path, mapping: str) -> list[tuple[str, dict[str, str]]]:
    """Return (agency, row) for every row of every file loaded with a template."""
    out = []
    for entry in _json(region / "manifest.json")["files"]:
        if entry["mapping"] == mapping:
            with open_table(region / entry["path"]) as table:
                out += [(entry["agency"], dict(row.values)) for row in table]
    return out


def test_custody_records_the_handset_a_line_number_was_in(region: Path) -> None:
    truth = _json(region / "truth.json")
    phone = get_normaliser("phone")
    handsets = {
        h["imei"]: (p["number"], _day(h["from"]), _day(h["to"]))
        for line in truth["lines"]
        for p in line["phone_history"]
        for h in p["handsets"]
    }
    members = {m for line in truth["lines"] for m in line["members"]}
    written = [(a, r) for a, r in _rows(region, "custody-arrest") if r["Handset IMEI"]]
    whole = [r["Handset IMEI"] for _, r in written if re.fullmatch(r"\d{15}", r["Handset IMEI"])]
    assert len(whole) > 0.85 * len(written), "IMEIs are mostly written whole"
    assert all(i.startswith("00") and _luhn_valid(i) for i in whole)
    matched = 0
    for _, row in written:
        digits = re.sub(r"\D", "", row["Handset IMEI"])
        if digits not in handsets or not row["Phone Seized"]:
            continue
        number, start, end = handsets[digits]
        arrested = date.fromisoformat(get_normaliser("date")(row["Arrest Date/Time"]).value)
        assert phone(row["Phone Seized"]).value == number
        assert start <= arrested < end, "the handset in use on the day of the arrest"
        matched += 1
    assert matched, "some seized handsets are line handsets"
    on_line = [a for a, r in written if truth["records"][f"{a}:{r['Custody Number']}"] in members]
    assert 0 < len(on_line) < len(written), "ordinary arrestees' phones are seized too"


def _on_line(truth: dict[str, Any], agency: str, ref: str) -> bool:
    members = {m for line in truth["lines"] for m in line["members"]}
    return truth["records"][f"{agency}:{ref}"] in members


def test_stop_and_search_finds_line_members_mostly_in_the_towns(wide_region: Path) -> None:
    truth = _json(wide_region / "truth.json")
    rows = _rows(wide_region, "stop-search")
    agencies = {a for a, _ in rows}
    assert {"MPS", "KENT-POLICE"} <= agencies
    share = {}
    for agency in agencies:
        mine = [r for a, r in rows if a == agency]
        share[agency] = sum(_on_line(truth, agency, r["Search Ref"]) for r in mine) / len(mine)
        assert 0 < share[agency] < 0.5, "most searches are of people with no line"
    assert share["KENT-POLICE"] > 1.5 * share["MPS"], share
    named = sum(1 for _, r in rows if r["Forename"] and r["Surname"]) / len(rows)
    dob = sum(1 for _, r in rows if r["DOB"]) / len(rows)
    assert 0.5 < named < 0.9, "names are often not recorded"
    assert dob < 0.6, "nor dates of birth"
    outcomes = Counter(r["Outcome"] for _, r in rows)
    assert outcomes.most_common(1)[0][0] == "No further action"
    assert {r["Legislation"] for _, r in rows} >= {"s.23 Misuse of Drugs Act 1971", "s.1 PACE 1984"}


def test_referrals_name_exploitation_for_some_children_on_lines(wide_region: Path) -> None:
    truth = _json(wide_region / "truth.json")
    rows = _rows(wide_region, "social-care-referral")
    assert {"BRENT-CSC", "KENT-CSC"} <= {a for a, _ in rows}
    on_line = [r for a, r in rows if _on_line(truth, a, r["Referral ID"])]
    others = [r for a, r in rows if not _on_line(truth, a, r["Referral ID"])]
    assert on_line
    assert len(on_line) < len(others)
    exploitation = "Criminal exploitation"
    concerns = Counter(r["Primary Concern"] for r in on_line)
    assert 0 < concerns[exploitation] < len(on_line), "exploitation is named, but not always"
    assert any(r["Primary Concern"] == exploitation for r in others), "and not only for them"
    assert Counter(r["Primary Concern"] for r in others).most_common(1)[0][0] != exploitation
