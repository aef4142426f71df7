"""Ingest: good rows land together, bad rows are quarantined, failures change nothing."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest

from linemap.errors import InvalidInput, MappingError, NotFound, RowRejected, UnreadableFile
from linemap.services import audit, intake
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from tests.services.conftest import register_row, snapshot, write_csv

REGISTER = "person-register"


def _ingest(uow: UnitOfWork, settings: Settings, path: Path, **kw: object) -> intake.IngestSummary:
    return intake.ingest(
        uow,
        settings,
        path,
        kw.pop("agency", "SCH1"),
        kw.pop("mapping", REGISTER),  # type: ignore[arg-type]
        **kw,
    )  # type: ignore[arg-type]


def test_good_rows_land_with_provenance(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "people.csv", [register_row("P1"), register_row("P2", surname="Demo")]
    )
    summary = _ingest(agencies, settings, path)
    assert (summary.accepted, summary.rejected, summary.unchanged, summary.superseded) == (
        2,
        0,
        0,
        0,
    )
    assert summary.report is None
    with agencies.read() as tx:
        rows = tx.records.statements(1)
    values = {(r.prop, r.value) for r in rows}
    assert ("surname", "example") in values
    assert ("birth_date", "2009-04-03") in values
    assert ("number", "+447700900123") in values
    assert ("postcode_district", "CT9") in values
    surname = next(r for r in rows if r.prop == "surname")
    assert surname.original_value == "Example"
    assert surname.qualifier.subject_category == "other"
    assert surname.qualifier.basis == "fact"
    assert surname.recorded_at == "2025-01-10"
    assert surname.qualifier.review_by == "2026-01-10"
    assert surname.qualifier.handling_code == "P"
    assert surname.qualifier.tlp == "amber"


def test_bad_rows_are_quarantined_with_reasons(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    rows = [
        register_row("P1"),
        register_row("P2", date_of_birth="31/02/2009"),
        register_row("P3", postcode="NOTAPOSTCODE", phone="12"),
        register_row("P4", surname=""),
        register_row("P5"),
    ]
    path = write_csv(tmp_path / "people.csv", rows)
    summary = _ingest(agencies, settings, path)
    assert (summary.accepted, summary.rejected) == (2, 3)
    with agencies.read() as tx:
        assert tx.records.count("source_record") == 2
        quarantined = tx.records.quarantined(summary.batch_id or 0)
    assert [q["row_number"] for q in quarantined] == [3, 4, 5]
    assert quarantined[1]["problems"] == [
        {"column": "postcode", "reason": quarantined[1]["problems"][0]["reason"]},
        {"column": "phone", "reason": quarantined[1]["problems"][1]["reason"]},
    ]
    assert json.loads(str(quarantined[0]["raw"]))["person_ref"] == "P2"
    report = Path(summary.report or "")
    assert report == tmp_path / "people.quarantine.csv"
    lines = list(csv.reader(report.open(encoding="utf-8")))
    assert lines[0] == ["row", "column", "reason"]
    assert [line[:2] for line in lines[1:]] == [
        ["3", "date_of_birth"],
        ["4", "postcode"],
        ["4", "phone"],
        ["5", "surname"],
    ]
    text = report.read_text(encoding="utf-8")
    for secret in ("31/02/2009", "NOTAPOSTCODE", "Example"):
        assert secret not in text


def test_strict_refuses_the_whole_file(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "people.csv", [register_row("P1"), register_row("P2", postcode="X")]
    )
    before = snapshot(agencies)
    with pytest.raises(RowRejected, match="nothing was stored"):
        _ingest(agencies, settings, path, strict=True)
    assert snapshot(agencies) == before
    assert (tmp_path / "people.quarantine.csv").exists()


def test_strict_accepts_a_clean_file(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "people.csv", [register_row("P1"), register_row("P2")])
    assert _ingest(agencies, settings, path, strict=True).accepted == 2


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        ("missing_file", UnreadableFile),
        ("unknown_mapping", MappingError),
        ("unknown_agency", NotFound),
        ("wrong_agency_kind", InvalidInput),
        ("missing_columns", MappingError),
        ("not_a_spreadsheet", UnreadableFile),
        ("mixed_encoding", UnreadableFile),
        ("empty_file", UnreadableFile),
    ],
)
def test_a_file_that_cannot_be_processed_changes_nothing(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path, setup: str, error: type[Exception]
) -> None:
    good = write_csv(tmp_path / "good.csv", [register_row("P1")])
    _ingest(agencies, settings, good)  # earlier committed work must survive the failure
    before = snapshot(agencies)
    path = tmp_path / "bad.csv"
    kw: dict[str, object] = {}
    if setup == "missing_file":
        path = tmp_path / "absent.csv"
    elif setup == "unknown_mapping":
        write_csv(path, [register_row("P9")])
        kw["mapping"] = "no-such-mapping"
    elif setup == "unknown_agency":
        write_csv(path, [register_row("P9")])
        kw["agency"] = "NOPE"
    elif setup == "wrong_agency_kind":
        write_csv(path, [register_row("P9")])
        kw["mapping"] = "police-intelligence"
    elif setup == "missing_columns":
        path.write_text("person_ref,forename\nP9,Jordan\n", encoding="utf-8")
    elif setup == "not_a_spreadsheet":
        path = tmp_path / "bad.xlsx"
        path.write_bytes(b"this is not a zip file")
    elif setup == "mixed_encoding":
        # A valid UTF-8 start longer than the sniffed prefix, then a Windows-1252 byte.
        rows = [register_row(f"P{i}", surname="Zoë") for i in range(20000)]
        write_csv(path, rows)
        with path.open("ab") as handle:
            handle.write("P99999,2025-01-10,other,Zo\xeb,Demo,,,,,\n".encode("latin-1"))
    elif setup == "empty_file":
        path.write_bytes(b"")
    with pytest.raises(error):
        _ingest(agencies, settings, path, **kw)
    assert snapshot(agencies) == before


def test_reimport_changes_nothing(agencies: UnitOfWork, settings: Settings, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", [register_row("P1"), register_row("P2")])
    _ingest(agencies, settings, path)
    before = snapshot(agencies)
    again = _ingest(agencies, settings, path)
    assert (again.accepted, again.unchanged, again.superseded) == (0, 2, 0)
    after = snapshot(agencies)
    for table in ("source_record", "statement", "quarantine"):
        assert after[table] == before[table]


def test_changed_row_supersedes_and_keeps_history(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    first = write_csv(tmp_path / "v1.csv", [register_row("P1", recorded="2025-01-10")])
    _ingest(agencies, settings, first)
    second = write_csv(
        tmp_path / "v2.csv", [register_row("P1", recorded="2025-06-01", postcode="CT9 5AD")]
    )
    summary = _ingest(agencies, settings, second)
    assert (summary.accepted, summary.superseded, summary.unchanged) == (1, 1, 0)
    with agencies.read() as tx:
        versions = tx.records.versions(1)
        old, new = (tx.records.statements(v.id) for v in versions)
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].supersedes_id == versions[0].id
    assert ("postcode", "CT9 1AA") in {(r.prop, r.value) for r in old}
    assert ("postcode", "CT9 5AD") in {(r.prop, r.value) for r in new}
    surname = next(r for r in new if r.prop == "surname")
    assert (surname.first_seen, surname.last_seen) == ("2025-01-10", "2025-06-01")
    postcode = next(r for r in new if r.prop == "postcode")
    assert postcode.first_seen == "2025-06-01"
    operations = [e.event.operation.value for e in audit.events_for_record(agencies, 1)]
    assert operations == ["collection", "collection", "alteration"]


def test_collection_is_audited_in_the_same_transaction(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "people.csv", [register_row("P1"), register_row("P2", postcode="X")]
    )
    summary = _ingest(agencies, settings, path)
    events = audit.events_for_record(agencies, 1)
    assert [e.event.operation.value for e in events] == ["collection"]
    assert events[0].event.record_ids == (f"batch:{summary.batch_id}",)
    assert events[0].event.detail["accepted"] == 1
    assert events[0].event.actor == "test-actor"
    assert "Jordan" not in json.dumps(events[0].event.detail)
    assert audit.verify_chain(agencies).intact


def test_windows_1252_and_bom_files(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    cp = write_csv(tmp_path / "excel.csv", [register_row("P1", forename="Zoë")], encoding="cp1252")
    bom = write_csv(
        tmp_path / "bom.csv", [register_row("P2", forename="Zoë")], encoding="utf-8-sig"
    )
    assert _ingest(agencies, settings, cp).accepted == 1
    assert _ingest(agencies, settings, bom).accepted == 1
    with agencies.read() as tx:
        for record_id in (1, 2):
            forename = next(r for r in tx.records.statements(record_id) if r.prop == "forename")
            assert (forename.value, forename.original_value) == ("zoe", "Zoë")


def test_xlsx_and_json_lines(agencies: UnitOfWork, settings: Settings, tmp_path: Path) -> None:
    from openpyxl import Workbook

    columns = list(register_row("X"))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(columns)
    sheet.append(list(register_row("P1").values()))
    book.save(tmp_path / "people.xlsx")
    lines = tmp_path / "people.jsonl"
    lines.write_text(json.dumps(register_row("P2")) + "\n{not json\n", encoding="utf-8")
    assert _ingest(agencies, settings, tmp_path / "people.xlsx").accepted == 1
    summary = _ingest(agencies, settings, lines)
    assert (summary.accepted, summary.rejected) == (1, 1)


def test_a_forked_worker_prepares_the_same_rows(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    rows = [register_row(f"P{i}", postcode="X" if i == 7 else "CT9 1AA") for i in range(120)]
    path = write_csv(tmp_path / "people.csv", rows)
    forked = replace(settings, ingest_parallel_from_bytes=0, ingest_chunk_rows=25)
    summary = _ingest(agencies, forked, path)
    assert (summary.accepted, summary.rejected) == (119, 1)
    assert [p[0] for p in summary.problems] == [9]
    with agencies.read() as tx:
        assert tx.records.count("source_record") == 119
        ids = [s.id for v in (1, 2) for s in tx.records.statements(v)]
    assert ids == list(range(1, len(ids) + 1))  # contiguous across records
    again = _ingest(agencies, forked, path)
    assert (again.unchanged, again.rejected) == (119, 1)


def test_a_worker_failure_changes_nothing(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "people.csv", [register_row(f"P{i}") for i in range(20000)])
    with path.open("ab") as handle:
        handle.write("P99999,2025-01-10,other,Zo\xeb,Demo,,,,,\n".encode("latin-1"))
    before = snapshot(agencies)
    forked = replace(settings, ingest_parallel_from_bytes=0)
    with pytest.raises(UnreadableFile, match="UTF-8"):
        _ingest(agencies, forked, path)
    assert snapshot(agencies) == before


def test_a_blank_category_cell_falls_back_to_the_mapping_default(
    agencies: UnitOfWork, settings: Settings, tmp_path: Path
) -> None:
    # R1: every person-in-context statement carries a data-subject category.
    path = write_csv(tmp_path / "people.csv", [register_row("P1", category="")])
    _ingest(agencies, settings, path)
    with agencies.read() as tx:
        rows = tx.records.statements(1)
    people = [r for r in rows if r.schema == "Person"]
    assert people
    assert {r.qualifier.subject_category for r in people} == {"other"}
    residence = [r for r in rows if r.schema == "ResidesAt"]
    assert {r.qualifier.subject_category for r in residence} == {"other"}
