"""The command line end to end: one clear line per error, never a traceback or personal data."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from linemap.cli.main import main
from tests.services.conftest import register_row, write_csv


@dataclass
class Outcome:
    """What a command printed and how it exited."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Outcome]:
    """Run `linemap` in-process, as `main()` runs it for a user."""

    def invoke(db: str, *args: str, stdin: str | None = None, cwd: Path | None = None) -> Outcome:
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
        if cwd is not None:
            monkeypatch.chdir(cwd)
        try:
            main(["--db", db, *args])
            code = 0
        except SystemExit as done:
            code = int(done.code or 0)
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke


def test_the_installed_command_runs_in_a_subprocess(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "linemap",
            "--db",
            f"sqlite:///{tmp_path / 'x.db'}",
            "agency",
            "list",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("linemap: error: ")
    assert "Traceback" not in result.stderr


@pytest.fixture
def db(database_url: str, run: Callable[..., Outcome]) -> str:
    """A migrated database with a police force and a school."""
    assert (
        run(
            database_url,
            "agency",
            "add",
            "KENTPOL",
            "--name",
            "Kent Police",
            "--kind",
            "police",
            "--area",
            "Kent",
        ).returncode
        == 0
    )
    assert (
        run(
            database_url,
            "agency",
            "add",
            "SCH1",
            "--name",
            "Example Academy",
            "--kind",
            "education",
        ).returncode
        == 0
    )
    return database_url


def test_init_creates_then_reports_up_to_date(tmp_path: Path, run: Callable[..., Outcome]) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    first = run(url, "init")
    assert first.returncode == 0, first.stderr
    assert "migrated from empty" in first.stdout
    assert "up to date" in run(url, "init").stdout


def test_commands_refuse_an_uninitialised_database(
    tmp_path: Path, run: Callable[..., Outcome]
) -> None:
    result = run(f"sqlite:///{tmp_path / 'none.db'}", "agency", "list")
    assert result.returncode != 0
    assert "linemap init" in result.stderr
    assert "Traceback" not in result.stderr


def test_agencies_and_users(db: str, run: Callable[..., Outcome]) -> None:
    listed = run(db, "agency", "list")
    assert "KENTPOL" in listed.stdout
    assert "education" in listed.stdout
    added = run(
        db,
        "user",
        "add",
        "a.analyst",
        "--agency",
        "kentpol",
        "--role",
        "analyst",
        stdin="correct horse battery staple\n",
    )
    assert added.returncode == 0, added.stderr
    users = run(db, "user", "list").stdout
    assert "a.analyst" in users
    assert "argon2" not in users
    duplicate = run(db, "agency", "add", "KENTPOL", "--name", "Again", "--kind", "police")
    assert duplicate.returncode == 1
    assert "already exists" in duplicate.stderr
    bad_kind = run(db, "agency", "add", "X1", "--name", "X", "--kind", "bakery")
    assert "choose one of" in bad_kind.stderr
    short = run(
        db, "user", "add", "b.user", "--agency", "SCH1", "--role", "practitioner", stdin="short\n"
    )
    assert short.returncode == 1
    assert "at least 12" in short.stderr


def test_ingest_json_summary_and_report(
    db: str, tmp_path: Path, run: Callable[..., Outcome]
) -> None:
    path = write_csv(
        tmp_path / "people.csv", [register_row("P1"), register_row("P2", postcode="ZZ")]
    )
    result = run(
        db, "ingest", str(path), "--agency", "SCH1", "--mapping", "person-register", "--json"
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary == {
        "accepted": 1,
        "rejected": 1,
        "unchanged": 0,
        "superseded": 0,
        "report": str(tmp_path / "people.quarantine.csv"),
    }
    again = json.loads(
        run(
            db, "ingest", str(path), "--agency", "SCH1", "--mapping", "person-register", "--json"
        ).stdout
    )
    assert again["unchanged"] == 1
    human = run(db, "ingest", str(path), "--agency", "SCH1", "--mapping", "person-register")
    assert "1 unchanged" in human.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "--agency", "SCH1", "--mapping", "person-register"], "not found"),
        (["people.csv", "--agency", "NOPE", "--mapping", "person-register"], "no agency"),
        (["people.csv", "--agency", "SCH1", "--mapping", "nonesuch"], "no mapping"),
        (["people.csv", "--agency", "SCH1", "--mapping", "police-intelligence"], "kind police"),
        (
            ["people.csv", "--agency", "SCH1", "--mapping", "person-register", "--strict"],
            "--strict",
        ),
    ],
)
def test_ingest_errors_are_one_clear_line(
    db: str, tmp_path: Path, args: list[str], message: str, run: Callable[..., Outcome]
) -> None:
    write_csv(
        tmp_path / "people.csv",
        [register_row("P1", forename="Canary"), register_row("P2", postcode="ZZ")],
    )
    result = run(db, "ingest", *args, cwd=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert "Canary" not in result.stderr + result.stdout


def test_audit_verify_show_and_erase(db: str, tmp_path: Path, run: Callable[..., Outcome]) -> None:
    path = write_csv(tmp_path / "people.csv", [register_row("P1")])
    run(db, "ingest", str(path), "--agency", "SCH1", "--mapping", "person-register")
    assert run(db, "audit", "verify").returncode == 0
    erased = run(db, "erase", "--record", "1", "--reason", "retention ended")
    assert erased.returncode == 0, erased.stderr
    shown = json.loads(run(db, "audit", "show", "--record", "1", "--json").stdout)
    assert [e["operation"] for e in shown] == ["collection", "erasure"]
    assert run(db, "audit", "verify").returncode == 0


def test_audit_verify_fails_on_tampering(db: str, run: Callable[..., Outcome]) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(db)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        else:
            connection.execute(text("DROP TRIGGER audit_event_no_update"))
        connection.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE seq = 1"))
    engine.dispose()
    result = run(db, "audit", "verify")
    assert result.returncode == 3
    assert "event 1" in result.stderr


def test_mapping_list_and_template(tmp_path: Path, run: Callable[..., Outcome]) -> None:
    names = run("sqlite://", "mapping", "list").stdout.split()
    assert "police-intelligence" in names
    out = tmp_path / "t.csv"
    assert (
        run("sqlite://", "mapping", "template", "person-register", "--out", str(out)).returncode
        == 0
    )
    assert out.read_text(encoding="utf-8").startswith("person_ref,")


def test_simulate_load_and_evaluate(
    database_url: str, tmp_path: Path, run: Callable[..., Outcome]
) -> None:
    out = tmp_path / "region"
    made = run(
        database_url, "simulate", "--out", str(out), "--seed", "3", "--records", "400", "--load"
    )
    assert made.returncode == 0, made.stderr
    assert "Loaded:" in made.stdout
    assert (out / "truth.json").exists()
    scored = run(database_url, "evaluate", "--truth", str(out / "truth.json"), "--json")
    assert scored.returncode == 0, scored.stderr
    stages = json.loads(scored.stdout)["stages"]
    assert stages["intake"]["stored"]["recall"] == 1.0
    assert stages["intake"]["quarantined_broken_rows"]["precision"] == 1.0
    assert stages["identity_resolution"]["available"] is False
    resolved = run(database_url, "resolve", "--json")
    assert resolved.returncode == 0, resolved.stderr
    summary = json.loads(resolved.stdout)
    assert summary["retrained"] is True
    assert summary["mentions"] > summary["people"] > 0
    rescored = run(database_url, "evaluate", "--truth", str(out / "truth.json"), "--json")
    resolution = json.loads(rescored.stdout)["stages"]["identity_resolution"]
    assert resolution["run"] == summary["run"]
    assert resolution["pairwise"]["precision"] >= 0.9
    again = run(database_url, "simulate", "--out", str(out), "--seed", "3", "--records", "400")
    assert again.returncode == 1
    assert "Traceback" not in again.stderr


def test_resolve_errors_are_one_clear_line(
    database_url: str, run: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = run(database_url, "resolve")
    assert empty.returncode == 1
    assert "fewer than two person mentions" in empty.stderr
    for variable, value, said in (
        ("LINEMAP_MATCH_THRESHOLD", "high", "between 0 and 1"),
        ("LINEMAP_MATCH_THRESHOLD", "1.5", "between 0 and 1"),
        ("LINEMAP_REVIEW_THRESHOLD", "0.99", "above LINEMAP_MATCH_THRESHOLD"),
        ("LINEMAP_NAME_THRESHOLD", "0.99", "above LINEMAP_MATCH_THRESHOLD"),
        ("LINEMAP_NAME_THRESHOLD", "none", "between 0 and 1"),
    ):
        monkeypatch.setenv(variable, value)
        refused = run(database_url, "resolve")
        monkeypatch.delenv(variable)
        assert refused.returncode != 0
        assert said in refused.stderr
        assert "Traceback" not in refused.stderr


def test_a_usage_error_prints_usage_not_an_internal_error(
    database_url: str, run: Callable[..., Outcome]
) -> None:
    missing = run(database_url, "link")
    assert missing.returncode == 2
    assert "Missing argument" in missing.stderr
    assert "internal error" not in missing.stderr


def test_safeguarding_commands_say_what_is_missing(
    database_url: str, run: Callable[..., Outcome]
) -> None:
    for args, said in (
        (("assess",), "no resolution run yet: run `linemap resolve`"),
        (("export", "flagged", "--format", "csv"), "no assessment run yet: run `linemap assess`"),
        (("export", "flagged", "--format", "pdf"), "format must be one of csv, jsonl"),
        (("cases", "list", "--workflow", "court"), "workflow must be one of referral, nrm"),
    ):
        refused = run(database_url, *args)
        assert refused.returncode == 1, (args, refused.stderr)
        assert said in refused.stderr
        assert "Traceback" not in refused.stderr
    listed = run(database_url, "cases", "list")
    assert listed.returncode == 0
    assert "No cases" in listed.stdout
