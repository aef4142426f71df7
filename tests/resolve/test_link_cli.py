"""`linemap link` end to end: every id once, pairs, explanations, one clear line per bad input."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from linemap.cli.main import main
from tests.resolve.synthetic import make_mentions

SECRET = "Zebedee"  # a name that must never appear in an error message


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


Run = Callable[..., Outcome]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `linemap` in-process, as `main()` runs it for a user."""

    def invoke(*args: str) -> Outcome:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as done:
            code = int(done.code or 0)
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke


def _uk_date(iso: str | None) -> str:
    if iso is None:
        return "Unknown"
    parts = iso.split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso


def write_mentions(path: Path, people: int = 250) -> dict[str, str]:
    """Write invented mentions with everyday headers and shapes; return the truth."""
    rows, truth = make_mentions(people, seed=3)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Ref", "Forename", "Last Name", "Date of Birth", "Post Code", "Mobile"])
        for row in rows:
            phone = "0" + row["phone"][3:] if row["phone"] else ""
            forename, surname = (row["first_name"] or "").title(), (row["surname"] or "").upper()
            dob, postcode = _uk_date(row["dob"]), row["postcode"] or ""
            writer.writerow([row["unique_id"], forename, surname, dob, postcode, phone])
    return truth


@dataclass
class Linked:
    folder: Path
    truth: dict[str, str]
    outcome: Outcome


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Linked:
    """Run the command once with every output; the tests below read what it wrote."""
    folder = tmp_path_factory.mktemp("link")
    truth = write_mentions(folder / "in.csv")
    ids = list(truth)
    args = ["link", folder / "in.csv", "--id-column", "Ref", "--output", folder / "clusters.csv",
            "--pairs", folder / "pairs.csv", "--threshold", "0.9", "--explain", ids[0], ids[1],
            "--save-model", folder / "model.json"]  # fmt: skip
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as done:
            code = int(done.code or 0)
    return Linked(folder, truth, Outcome(code, out.getvalue(), err.getvalue()))


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_input_row_gets_exactly_one_cluster(linked: Linked) -> None:
    assert linked.outcome.returncode == 0, linked.outcome.stderr
    rows = _read(linked.folder / "clusters.csv")
    assert list(rows[0]) == ["id", "cluster_id"]
    assert sorted(r["id"] for r in rows) == sorted(linked.truth)
    assert all(r["cluster_id"] in linked.truth for r in rows)  # named by a member's id
    assert "clusters" in linked.outcome.stdout


def test_pairs_have_the_promised_columns_and_threshold(linked: Linked) -> None:
    rows = _read(linked.folder / "pairs.csv")
    assert rows
    assert list(rows[0]) == ["id_l", "id_r", "match_probability"]
    assert all(float(r["match_probability"]) >= 0.9 for r in rows)
    clusters = {r["id"]: r["cluster_id"] for r in _read(linked.folder / "clusters.csv")}
    records = {r["Ref"]: r for r in _read(linked.folder / "in.csv")}

    def beyond_names(left: dict[str, str], right: dict[str, str]) -> bool:
        years = {r["Date of Birth"].rpartition("/")[2][:4] for r in (left, right)}
        same_year = len(years) == 1 and "Unkn" not in years
        return same_year or any(left[c] and left[c] == right[c] for c in ("Post Code", "Mobile"))

    # A pair that agrees on more than its names is always joined; one resting on the names
    # alone may be kept apart (a name never joins two people, `without_bridges`).
    for row in rows:
        if beyond_names(records[row["id_l"]], records[row["id_r"]]):
            assert clusters[row["id_l"]] == clusters[row["id_r"]]
    same = sum(linked.truth[r["id_l"]] == linked.truth[r["id_r"]] for r in rows)
    assert same / len(rows) >= 0.95


def test_explain_prints_each_comparison_level_and_weight(linked: Linked) -> None:
    out = linked.outcome.stdout
    for description in (
        "prior",
        "forename",
        "surname",
        "date of birth",
        "postcode",
        "phone number",
        "total",
    ):
        assert description in out
    assert "match probability" in out
    assert any(sign in out for sign in ("+", "-"))


def test_a_saved_model_links_again_without_training(linked: Linked, run: Run) -> None:
    folder = linked.folder
    again = run("link", folder / "in.csv", "--id-column", "Ref", "--output", folder / "again.csv",
                "--threshold", "0.9", "--model", folder / "model.json")  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert _read(folder / "again.csv") == _read(folder / "clusters.csv")


def _assert_one_clean_line(outcome: Outcome, *fragments: str) -> None:
    assert outcome.returncode != 0
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1, outcome.stderr
    assert lines[0].startswith("linemap: error: ")
    assert "Traceback" not in outcome.stderr
    assert SECRET not in outcome.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_a_missing_column_is_one_clear_line(tmp_path: Path, run: Run) -> None:
    source = tmp_path / "in.csv"
    source.write_text(f"id,first_name\n1,{SECRET}\n", encoding="utf-8")
    outcome = run(
        "link", source, "--id-column", "id", "--output", tmp_path / "o.csv", "--map", "surname=last"
    )
    _assert_one_clean_line(outcome, "no column 'last'")
    outcome = run("link", source, "--id-column", "ref", "--output", tmp_path / "o.csv")
    _assert_one_clean_line(outcome, "no column 'ref'")


def test_duplicate_ids_are_one_clear_line(tmp_path: Path, run: Run) -> None:
    source = tmp_path / "in.csv"
    source.write_text(f"id,first_name,surname\n{SECRET},a,b\n{SECRET},c,d\n", encoding="utf-8")
    outcome = run("link", source, "--id-column", "id", "--output", tmp_path / "o.csv")
    _assert_one_clean_line(outcome, "repeated")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "cannot read"),
        (b"", "no header"),
        (f"id,first_name\n1,{SECRET}\n2,{SECRET},extra,cells\n".encode(), "not a well-formed CSV"),
    ],
)
def test_an_unreadable_file_is_one_clear_line(
    tmp_path: Path, run: Run, content: bytes | None, fragment: str
) -> None:
    source = tmp_path / "in.csv"
    if content is not None:
        source.write_bytes(content)
    outcome = run("link", source, "--id-column", "id", "--output", tmp_path / "o.csv")
    _assert_one_clean_line(outcome, fragment)


def test_a_bad_map_or_backend_is_one_clear_line(tmp_path: Path, run: Run) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,first_name\n1,a\n", encoding="utf-8")
    outcome = run(
        "link",
        source,
        "--id-column",
        "id",
        "--output",
        tmp_path / "o.csv",
        "--map",
        "name=first_name",
    )
    _assert_one_clean_line(outcome, "no field 'name'")
    outcome = run(
        "link", source, "--id-column", "id", "--output", tmp_path / "o.csv", "--backend", "oracle"
    )
    _assert_one_clean_line(outcome, "no backend called 'oracle'")


@pytest.mark.parametrize("option", ["--threshold", "--name-threshold"])
def test_a_threshold_that_is_not_a_probability_is_one_clear_line(
    tmp_path: Path, run: Run, option: str
) -> None:
    source = tmp_path / "in.csv"
    write_mentions(source, people=20)
    outcome = run(
        "link", source, "--id-column", "Ref", "--output", tmp_path / "o.csv", option, "1.5"
    )
    _assert_one_clean_line(outcome, "not a probability")


def test_explaining_an_unknown_id_is_one_clear_line(tmp_path: Path, run: Run) -> None:
    source = tmp_path / "in.csv"
    truth = write_mentions(source, people=60)
    first = next(iter(truth))
    outcome = run(
        "link",
        source,
        "--id-column",
        "Ref",
        "--output",
        tmp_path / "o.csv",
        "--explain",
        first,
        "nope",
    )
    _assert_one_clean_line(outcome, "no record has id 'nope'")
