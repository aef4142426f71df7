"""The simulated region: deterministic, accepted by the intake templates, and truthful."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from linemap.errors import InvalidInput
from linemap.intake.mapping import load_mapping
from linemap.intake.reader import open_table
from linemap.intake.transform import Accepted, Rejected, RowPlan
from linemap.model.vocabulary import AgencyKind
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
