"""Tests for the streaming readers of agency export files. All values are synthetic."""

import codecs
import csv
import io
import json
import tempfile
import tracemalloc
import zipfile
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linemap.errors import InvalidInput, UnreadableFile
from linemap.intake.reader import Row, TableReader, open_table

HEADER = "name,dob,phone"


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def read_all(path: Path, **options: str) -> tuple[tuple[str, ...], list[Row]]:
    with open_table(path, **options) as table:
        return table.columns, list(table)


def unreadable(path: Path, **options: str) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_all(path, **options)
    return str(caught.value)


# CSV: encodings


def test_utf8_csv_reads_names_with_accents(tmp_path: Path) -> None:
    text = f"{HEADER}\nZoë Adebayo,2008-03-14,07700 900123\n"
    path = write(tmp_path / "export.csv", text.encode("utf-8"))

    columns, rows = read_all(path)

    assert columns == ("name", "dob", "phone")
    assert rows == [Row(2, {"name": "Zoë Adebayo", "dob": "2008-03-14", "phone": "07700 900123"})]


def test_bom_is_stripped_from_the_first_header(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", codecs.BOM_UTF8 + b"name,dob\nJordan Smith,2007\n")

    columns, rows = read_all(path)

    assert columns == ("name", "dob")
    assert rows[0].values["name"] == "Jordan Smith"


def test_windows_1252_as_excel_writes_it(tmp_path: Path) -> None:
    text = "name,note\r\nZoë Adebayo,owes £40 \u2019for the line\u2019\r\n"
    content = text.encode("cp1252")
    assert b"\xeb" in content
    assert b"\x92" in content
    path = write(tmp_path / "export.csv", content)

    _, rows = read_all(path)

    assert rows[0].values == {"name": "Zoë Adebayo", "note": "owes £40 ’for the line’"}


def test_utf16_unicode_text_export_is_read(tmp_path: Path) -> None:
    text = "name\tdob\r\nZoë Adebayo\t2008-03-14\r\n"
    path = write(tmp_path / "export.txt", text.encode("utf-16"))

    columns, rows = read_all(path)

    assert columns == ("name", "dob")
    assert rows[0].values["name"] == "Zoë Adebayo"


def test_utf8_character_cut_by_the_sample_boundary_is_still_utf8(tmp_path: Path) -> None:
    prefix = b"name\n" + b"a\n" * ((1 << 20) // 2 - 4)
    # Place "ë" (two bytes) so the sample ends between them.
    filler = b"x" * ((1 << 20) - len(prefix) - 1)
    path = write(tmp_path / "export.csv", prefix + filler + "ë\n".encode())

    _, rows = read_all(path)

    assert rows[-1].values["name"] == "x" * len(filler) + "ë"


def test_file_that_turns_to_cp1252_after_the_first_mib_is_refused(tmp_path: Path) -> None:
    rows = "".join(f"Jordan Smith,{n}\n" for n in range(80_000))
    content = ("name,ref\n" + rows).encode("utf-8") + "Zoë Adebayo,1\n".encode("cp1252")
    assert len(content) > 1 << 20
    path = write(tmp_path / "export.csv", content)

    message = unreadable(path)

    assert "mixes encodings" in message
    assert "UTF-8" in message
    assert "in row 80002" in message
    assert "Zo" not in message
    assert "Jordan" not in message


def test_zip_file_named_csv_is_refused_as_a_workbook(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.save(tmp_path / "book.xlsx")
    path = write(tmp_path / "export.csv", (tmp_path / "book.xlsx").read_bytes())

    assert ".xlsx" in unreadable(path)


# CSV: shape


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiter_is_sniffed_from_a_header_without_commas(tmp_path: Path, delimiter: str) -> None:
    text = delimiter.join(["name", "dob", "note"]) + "\n"
    text += delimiter.join(["Jordan Smith", "2007-01-02", "met at the park, twice"]) + "\n"
    path = write(tmp_path / "export.csv", text.encode())

    columns, rows = read_all(path)

    assert columns == ("name", "dob", "note")
    assert rows[0].values["note"] == "met at the park, twice"


def test_comma_header_keeps_semicolons_inside_cells(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", b"name,note\nJordan Smith,a;b;c\n")

    _, rows = read_all(path)

    assert rows[0].values["note"] == "a;b;c"


def test_newlines_inside_quoted_cells_stay_in_one_row(tmp_path: Path) -> None:
    text = 'name,address\r\nJordan Smith,"12 High Street\r\nLeeds"\r\nZoë Adebayo,Bradford\r\n'
    path = write(tmp_path / "export.csv", text.encode())

    _, rows = read_all(path)

    assert rows[0].values["address"] == "12 High Street\r\nLeeds"
    assert [row.number for row in rows] == [2, 3]


def test_cells_are_stripped(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", b" name , dob \n  Jordan Smith ,\t2007 \n")

    columns, rows = read_all(path)

    assert columns == ("name", "dob")
    assert rows[0].values == {"name": "Jordan Smith", "dob": "2007"}


def test_short_rows_are_padded_without_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", f"{HEADER}\nJordan Smith\n".encode())

    _, rows = read_all(path)

    assert rows == [Row(2, {"name": "Jordan Smith", "dob": "", "phone": ""})]


def test_long_rows_carry_a_problem_without_values(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", f"{HEADER}\nJordan Smith,2007,0770,LS1 4AB\n".encode())

    _, rows = read_all(path)

    assert rows[0].problem == "row has 4 cells but the header has 3"
    assert rows[0].values == {"name": "Jordan Smith", "dob": "2007", "phone": "0770"}


def test_trailing_empty_cells_past_the_header_are_not_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", f"{HEADER},,\nJordan Smith,2007,0770,,\n".encode())

    columns, rows = read_all(path)

    assert columns == ("name", "dob", "phone")
    assert rows[0].problem is None


def test_blank_rows_are_skipped_but_counted(tmp_path: Path) -> None:
    text = f"\n{HEADER}\nJordan Smith,,\n\n,,\n , ,\nZoë Adebayo,,\n"
    path = write(tmp_path / "export.csv", text.encode())

    _, rows = read_all(path)

    assert [row.number for row in rows] == [3, 7]


def test_duplicate_header_is_named(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", b"name,dob,name\nJordan Smith,2007,Zoe\n")

    message = unreadable(path)

    assert '"name" appears more than once' in message
    assert "Jordan" not in message


def test_blank_header_cell_is_named_by_position(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", b"name,,phone\nJordan Smith,2007,0770\n")

    assert "column 2 (B) has no header" in unreadable(path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    assert "file is empty" in unreadable(write(tmp_path / "export.csv", b""))
    assert "file is empty" in unreadable(write(tmp_path / "bom.csv", codecs.BOM_UTF8 + b"\r\n"))


def test_header_only_file_has_no_rows(tmp_path: Path) -> None:
    columns, rows = read_all(write(tmp_path / "export.csv", f"{HEADER}\r\n".encode()))

    assert columns == ("name", "dob", "phone")
    assert rows == []


def test_unclosed_quote_that_overruns_the_field_limit_is_refused(tmp_path: Path) -> None:
    content = f'{HEADER}\nJordan Smith,"2007,0770\n'.encode() + b"Zoe Adebayo,1,2\n" * 20_000
    path = write(tmp_path / "export.csv", content)

    message = unreadable(path)

    assert "row 2" in message
    assert "unclosed quote" in message
    assert "Jordan" not in message


def test_the_field_limit_holds_whatever_another_library_set(tmp_path: Path) -> None:
    before = csv.field_size_limit(10**8)  # followthemoney raises it on import, for one
    try:
        content = f'{HEADER}\nJordan Smith,"2007,0770\n'.encode() + b"Zoe Adebayo,1,2\n" * 20_000
        assert "unclosed quote" in unreadable(write(tmp_path / "export.csv", content))
    finally:
        csv.field_size_limit(before)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.text(alphabet=st.characters(codec="utf-8"), max_size=12), min_size=3, max_size=3
        ),
        max_size=8,
    )
)
def test_csv_written_by_the_csv_module_reads_back(records: list[list[str]]) -> None:
    content = io.StringIO(newline="")
    writer = csv.writer(content)
    writer.writerow(["name", "dob", "phone"])
    writer.writerows(records)
    table = _table_from_text(content.getvalue())

    expected = [
        (number, [cell.strip() for cell in record])
        for number, record in enumerate(records, start=2)
        if any(cell.strip() for cell in record)
    ]
    assert [(row.number, list(row.values.values())) for row in table] == expected


def _table_from_text(text: str) -> list[Row]:
    # Hypothesis does not mix with the function-scoped tmp_path fixture.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_text(text, encoding="utf-8", newline="")
        return read_all(path)[1]


def test_memory_stays_flat_on_a_large_file(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(HEADER + "\n")
        file.writelines(
            f"Jordan Smith {n},2007-01-02,07700 900{n % 1000:03d}\n" for n in range(150_000)
        )
    assert path.stat().st_size > 6 << 20

    tracemalloc.start()
    try:
        with open_table(path) as table:
            count = sum(1 for _ in table)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert count == 150_000
    # The first MiB is read whole to detect the encoding; beyond that nothing should grow.
    assert peak < 3 << 20


# XLSX


def save_workbook(path: Path, rows: Sequence[Sequence[object]], title: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title is not None:
        sheet.title = title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def test_xlsx_values_become_text(tmp_path: Path) -> None:
    path = save_workbook(
        tmp_path / "export.xlsx",
        [
            ["name", "dob", "seen", "phone", "score", "flag", "empty", "when"],
            [
                "Zoë Adebayo",
                date(2008, 3, 14),
                datetime(2024, 5, 1, 18, 30),
                7700900123.0,
                2.5,
                True,
                None,
                datetime(2024, 5, 2),
            ],
        ],
    )

    _, rows = read_all(path)

    assert rows[0].values == {
        "name": "Zoë Adebayo",
        "dob": "2008-03-14",
        "seen": "2024-05-01T18:30:00",
        "phone": "7700900123",
        "score": "2.5",
        "flag": "true",
        "empty": "",
        "when": "2024-05-02",
    }


def test_xlsx_time_cell_is_iso_time(tmp_path: Path) -> None:
    path = save_workbook(tmp_path / "export.xlsx", [["at"], [time(14, 5)]])

    assert read_all(path)[1][0].values["at"] == "14:05:00"


def test_xlsx_header_is_first_non_empty_row_and_empty_rows_keep_numbering(
    tmp_path: Path,
) -> None:
    path = save_workbook(
        tmp_path / "export.xlsx",
        [[None], [None], ["name", "dob"], ["Jordan Smith", 2007], [None, None], ["Zoë Adebayo"]],
    )

    columns, rows = read_all(path)

    assert columns == ("name", "dob")
    assert [(row.number, row.values["name"]) for row in rows] == [
        (4, "Jordan Smith"),
        (6, "Zoë Adebayo"),
    ]
    assert rows[0].values["dob"] == "2007"


def test_xlsx_named_sheet(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.append(["other"])
    second = workbook.create_sheet("Referrals")
    second.append(["name"])
    second.append(["Jordan Smith"])
    workbook.save(tmp_path / "export.xlsx")

    columns, rows = read_all(tmp_path / "export.xlsx", sheet="Referrals")

    assert columns == ("name",)
    assert rows[0].values["name"] == "Jordan Smith"
    assert read_all(tmp_path / "export.xlsx")[0] == ("other",)


def test_xlsx_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = save_workbook(tmp_path / "export.xlsx", [["name"]], title="Cases")

    message = unreadable(path, sheet="Referrals")

    assert '"Referrals"' in message
    assert "Cases" in message


def test_xlsx_long_row_and_duplicate_header(tmp_path: Path) -> None:
    long_row = save_workbook(tmp_path / "long.xlsx", [["name"], ["Jordan Smith", "extra"]])
    duplicate = save_workbook(tmp_path / "dup.xlsx", [["name", "name"], ["Jordan Smith", "x"]])

    assert read_all(long_row)[1][0].problem == "row has 2 cells but the header has 1"
    assert '"name" appears more than once' in unreadable(duplicate)


def test_xlsx_with_a_wrong_declared_size_is_read_whole(tmp_path: Path) -> None:
    path = save_workbook(
        tmp_path / "export.xlsx", [["name", "dob"], ["Jordan Smith", 2007], ["Zoë Adebayo", 2008]]
    )
    _rewrite_dimension(path, 'ref="A1:B3"', 'ref="A1:A1"')

    with open_table(path) as table:
        rows = list(table)
        progress = table.progress()

    assert [row.values["dob"] for row in rows] == ["2007", "2008"]
    assert progress == (3, 3)


def _rewrite_dimension(path: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert old.encode() in parts[sheet]
    parts[sheet] = parts[sheet].replace(old.encode(), new.encode())
    with zipfile.ZipFile(path, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)


def test_csv_renamed_to_xlsx_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "export.xlsx", f"{HEADER}\nJordan Smith,2007,0770\n".encode())

    message = unreadable(path)

    assert "not a valid Excel workbook" in message
    assert "Jordan" not in message


def test_empty_workbook_is_refused(tmp_path: Path) -> None:
    assert "file is empty" in unreadable(save_workbook(tmp_path / "export.xlsx", []))


# JSON Lines


def test_jsonl_values_and_missing_fields(tmp_path: Path) -> None:
    lines = [
        {"name": "Zoë Adebayo", "age": 15, "known": True, "phone": None, "score": 1.5},
        {"name": "Jordan Smith"},
    ]
    content = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    path = write(tmp_path / "export.jsonl", codecs.BOM_UTF8 + content.encode())

    columns, rows = read_all(path)

    assert columns == ("name", "age", "known", "phone", "score")
    assert rows[0] == Row(
        1, {"name": "Zoë Adebayo", "age": "15", "known": "true", "phone": "", "score": "1.5"}
    )
    assert rows[1] == Row(
        2, {"name": "Jordan Smith", "age": "", "known": "", "phone": "", "score": ""}
    )


def test_jsonl_bad_lines_are_rows_with_problems(tmp_path: Path) -> None:
    content = b"\n".join(
        [
            b'{"name": "Jordan Smith", "dob": "2007"}',
            b"",
            b'{"name": "Zo\xeb Adebayo"}',
            b'{"name": "Jordan Smith", "dob": "2007"',
            b'["Jordan Smith"]',
            b'{"name": "Jordan Smith", "alias": "JJ"}',
            b'{"name": {"first": "Jordan"}, "dob": "2007"}',
        ]
    )
    path = write(tmp_path / "export.ndjson", content)

    _, rows = read_all(path)

    assert [(row.number, row.problem) for row in rows] == [
        (1, None),
        (3, "line is not valid UTF-8"),
        (4, "line is not valid JSON"),
        (5, "line is not a JSON object"),
        (6, "unexpected field alias"),
        (7, "field name is not a scalar"),
    ]
    assert rows[2].values == {"name": "", "dob": ""}
    assert rows[5].values == {"name": "", "dob": "2007"}


@pytest.mark.parametrize("first", [b'["Jordan Smith"]', b"{not json", b"42"])
def test_jsonl_first_line_must_be_an_object(tmp_path: Path, first: bytes) -> None:
    path = write(tmp_path / "export.jsonl", first + b'\n{"name": "Jordan Smith"}\n')

    message = unreadable(path)

    assert "line 1 is not a JSON object" in message
    assert "Jordan" not in message


def test_jsonl_empty_file_is_refused(tmp_path: Path) -> None:
    assert "file is empty" in unreadable(write(tmp_path / "export.jsonl", b"\n  \n"))


# Choosing and opening


def test_unknown_suffix_names_accepted_formats(tmp_path: Path) -> None:
    message = unreadable(write(tmp_path / "export.xls", b"anything"))

    for suffix in (".csv", ".txt", ".xlsx", ".jsonl", ".ndjson"):
        assert suffix in message


def test_format_overrides_the_suffix(tmp_path: Path) -> None:
    path = write(tmp_path / "export.dat", b'{"name": "Jordan Smith"}\n')

    assert read_all(path, format="jsonl")[0] == ("name",)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    message = unreadable(write(tmp_path / "export.csv", b"name\n"), format="xml")

    assert '"xml" is not a format' in message


def test_old_mac_line_endings_are_rows(tmp_path: Path) -> None:
    _, rows = read_all(write(tmp_path / "export.csv", b"name\rJordan Smith\rZoe Adebayo\r"))

    assert [(row.number, row.values["name"]) for row in rows] == [
        (2, "Jordan Smith"),
        (3, "Zoe Adebayo"),
    ]


def test_upper_case_suffix_is_recognised(tmp_path: Path) -> None:
    assert read_all(write(tmp_path / "EXPORT.CSV", b"name\n"))[0] == ("name",)


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    folder = tmp_path / "folder.csv"
    folder.mkdir()

    assert unreadable(missing) == f"file not found: {missing}; check the name and folder"
    assert "folder" in unreadable(folder)


def test_sheet_on_a_csv_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", b"name\n")

    with pytest.raises(InvalidInput):
        open_table(path, sheet="Referrals")


# Progress and closing


def _big_files(tmp_path: Path) -> list[Path]:
    rows = [[f"Jordan Smith {n}", f"{n}"] for n in range(3000)]
    csv_path = tmp_path / "export.csv"
    csv_path.write_text("name,ref\n" + "".join(f"{a},{b}\n" for a, b in rows), encoding="utf-8")
    jsonl_path = tmp_path / "export.jsonl"
    jsonl_path.write_text(
        "".join(json.dumps({"name": a, "ref": b}) + "\n" for a, b in rows), encoding="utf-8"
    )
    xlsx_path = save_workbook(tmp_path / "export.xlsx", [["name", "ref"], *rows])
    return [csv_path, jsonl_path, xlsx_path]


def test_progress_moves_and_ends_at_the_total(tmp_path: Path) -> None:
    for path in _big_files(tmp_path):
        with open_table(path) as table:
            iterator = iter(table)
            next(iterator)
            done, total = table.progress()
            assert 0 < done < total, path.suffix
            assert sum(1 for _ in iterator) == 2999
            done, total = table.progress()
            assert done == total > 0, path.suffix


def test_context_manager_closes_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "export.csv", f"{HEADER}\nJordan Smith,,\n".encode())
    table: TableReader
    with open_table(path) as table:
        pass

    with pytest.raises(ValueError, match="closed"):
        list(table)


# Messages never quote cell values


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("dup.csv", b"name,name\nJordan Smith,Zoe Adebayo\n"),
        ("quote.csv", b'name\n"Jordan Smith\n' + b"Zoe Adebayo\n" * 80_000),
        ("mixed.csv", b"name\n" + b"Jordan Smith\n" * 90_000 + b"Zo\xeb Adebayo\n"),
        ("bad.xlsx", b"name\nJordan Smith\n"),
        ("bad.jsonl", b'"Jordan Smith"\n'),
    ],
)
def test_error_messages_do_not_contain_cell_values(
    tmp_path: Path, name: str, content: bytes
) -> None:
    message = unreadable(write(tmp_path / name, content))

    assert "Zo" not in message
    assert "Adebayo" not in message
    assert "Jordan" not in message


def test_row_problems_do_not_contain_cell_values(tmp_path: Path) -> None:
    csv_path = write(tmp_path / "export.csv", b"name\nJordan Smith,Zoe Adebayo\n")
    jsonl_path = write(
        tmp_path / "export.jsonl",
        b'{"name": "x"}\n{"name": ["Jordan Smith"]}\n{"name": "Jordan Smith"\n',
    )

    problems = [row.problem or "" for path in (csv_path, jsonl_path) for row in read_all(path)[1]]

    assert all("Jordan" not in problem and "Zoe" not in problem for problem in problems)
    assert sum(bool(problem) for problem in problems) == 3
