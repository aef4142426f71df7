"""Streaming readers for agency export files: CSV, Excel workbooks and JSON Lines.

Each reader yields rows as header -> text mappings without loading the whole file, so a
million-row export reads in flat memory. A problem with the file as a whole raises
UnreadableFile; a problem with one row travels on the row as Row.problem, for the validation
report to count. Messages name rows by number and columns by header, never by cell value.
"""

import codecs
import csv
import io
import itertools
import json
import os
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Protocol, Self

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

# Private module, but the only way to name the class read-only workbooks hand out.
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from linemap.errors import InvalidInput, UnreadableFile

SUFFIXES = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}
FORMATS = ("csv", "xlsx", "jsonl")
_SAMPLE_BYTES = 1 << 20
_OTHER_DELIMITERS = (";", "\t", "|")
# Excel's "Unicode Text" export is UTF-16 with a BOM, tab-separated, and saved as .txt.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WORKBOOK_ERRORS = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    SyntaxError,  # XML parse errors from both ElementTree and lxml
    EOFError,
    OSError,
)
_RESAVE = "open it in Excel and save it as 'CSV UTF-8', then load it again"


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its spreadsheet row number, its cells by header, and any problem with it."""

    number: int
    values: Mapping[str, str]
    problem: str | None = None


class TableReader(Protocol):
    """An open export file that yields its rows once, in file order."""

    columns: tuple[str, ...]

    def __iter__(self) -> Iterator[Row]: ...

    def progress(self) -> tuple[int, int]: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


def open_table(path: Path, *, format: str | None = None, sheet: str | None = None) -> TableReader:
    """Open an agency export for streaming, choosing the reader by format or by suffix."""
    kind = _choose_format(path, format)
    if not path.exists():
        raise UnreadableFile(f"file not found: {path}; check the name and folder")
    if not path.is_file():
        raise UnreadableFile(f"{path} is a folder, not a file; choose the export file inside it")
    if sheet is not None and kind != "xlsx":
        raise InvalidInput(f"a sheet was named but {path} is read as {kind}; sheets apply to xlsx")
    if kind == "xlsx":
        return _XlsxTable(path, sheet)
    try:
        raw = path.open("rb")
    except OSError as error:
        raise UnreadableFile(f"could not open {path}: {error.strerror}") from error
    try:
        return _CsvTable(path, raw) if kind == "csv" else _JsonLinesTable(path, raw)
    except BaseException:
        raw.close()
        raise


def _choose_format(path: Path, format: str | None) -> str:
    """Return the format asked for, or the one the file's suffix implies."""
    if format is not None and format not in FORMATS:
        raise UnreadableFile(f'"{format}" is not a format linemap reads; use one of {FORMATS}')
    kind = format if format is not None else SUFFIXES.get(path.suffix.lower())
    if kind is None:
        accepted = ", ".join(SUFFIXES)
        raise UnreadableFile(
            f"{path} is not a format linemap reads; export it as one of {accepted}"
        )
    return kind


def _make_columns(path: Path, cells: Sequence[str], *, lettered: bool) -> tuple[str, ...]:
    """Check a header row and return its names, dropping blank cells at its end."""
    names = [cell.strip() for cell in cells]
    # Spreadsheets often carry formatted but empty columns past the last real one.
    while names and not names[-1]:
        names.pop()
    for position, name in enumerate(names, start=1):
        if not name:
            where = f"field {position} of the first object"
            if lettered:
                where = f"column {position} ({get_column_letter(position)})"
            raise UnreadableFile(
                f"{path}: {where} has no header; give every column a name in the header row"
            )
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise UnreadableFile(
                f'{path}: the header "{name}" appears more than once; '
                "rename the columns so that every header is different"
            )
        seen.add(name)
    return tuple(names)


def _fit(columns: tuple[str, ...], cells: list[str]) -> tuple[dict[str, str], str | None]:
    """Fit stripped cells to the header: pad short rows, report long rows that carry data."""
    # Excel drops trailing empty cells and sometimes adds them, so neither is a problem.
    while cells and not cells[-1]:
        cells.pop()
    width = len(columns)
    problem = None
    if len(cells) > width:
        problem = f"row has {len(cells)} cells but the header has {width}"
        del cells[width:]
    cells.extend([""] * (width - len(cells)))
    return dict(zip(columns, cells, strict=True)), problem


class _Table:
    """The parts every reader shares: columns, closing, and the context manager."""

    columns: tuple[str, ...]

    def close(self) -> None:
        """Release the file."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


# The longest cell read: past it the parser stops with an error, which is how an unclosed
# quote that swallows the rest of the file is caught. The csv module keeps this limit for the
# whole process and some libraries raise it on import, so the reader sets it each time.
FIELD_LIMIT = 131_072


class _CsvTable(_Table):
    """A delimited text file in UTF-8, UTF-16 or Windows-1252."""

    def __init__(self, path: Path, raw: BinaryIO) -> None:
        csv.field_size_limit(FIELD_LIMIT)
        self._path = path
        self._raw = raw
        self._size = os.fstat(raw.fileno()).st_size
        self._encoding, sample = _detect_encoding(path, raw)
        raw.seek(0)
        self._text = io.TextIOWrapper(raw, encoding=self._encoding, newline="")
        self._delimiter = _sniff_delimiter(sample)
        self._records = csv.reader(self._text, delimiter=self._delimiter)
        self._number = 0
        self.columns = self._read_header()

    def _read_header(self) -> tuple[str, ...]:
        """Read records up to the first non-blank one and return it as the header."""
        number = 0
        try:
            for record in self._records:
                number += 1
                if any(cell.strip() for cell in record):
                    self._number = number
                    return _make_columns(self._path, record, lettered=True)
        except (UnicodeDecodeError, csv.Error) as error:
            raise self._unreadable(error, number + 1) from error
        raise UnreadableFile(f"file is empty: {self._path}; export it again with a header row")

    def __iter__(self) -> Iterator[Row]:
        """Yield each row that has any data; the hot loop, so kept to C-level calls."""
        columns, width, strip = self.columns, len(self.columns), str.strip
        number = self._number
        try:
            for record in self._records:
                number += 1
                if len(record) == width:
                    values, problem = dict(zip(columns, map(strip, record), strict=True)), None
                else:
                    values, problem = _fit(columns, [cell.strip() for cell in record])
                if problem or any(values.values()):
                    yield Row(number, values, problem)
        except (UnicodeDecodeError, csv.Error) as error:
            raise self._unreadable(error, number + 1) from error
        self._number = number

    def _unreadable(self, error: UnicodeDecodeError | csv.Error, number: int) -> UnreadableFile:
        """Explain a failure part-way through the file without quoting its content."""
        if isinstance(error, csv.Error):
            return UnreadableFile(
                f"{self._path}: row {number} is not valid CSV ({error}); "
                "look for an unclosed quote in that row"
            )
        offset = self._raw.tell() - len(error.object) + error.start
        where = f"at byte {offset}"
        # The decoder reads ahead of the parser, so find the row by counting again.
        if not self._encoding.startswith("utf-16"):
            where += (
                f", in row {_count_records(self._path, self._encoding, self._delimiter, offset)}"
            )
        if self._encoding == "utf-8":
            return UnreadableFile(
                f"{self._path} mixes encodings: it starts as UTF-8 but is not UTF-8 {where}; "
                + _RESAVE
            )
        return UnreadableFile(f"{self._path} is not valid {self._encoding} {where}; " + _RESAVE)

    def progress(self) -> tuple[int, int]:
        """Return bytes read so far and the file's size."""
        return min(self._raw.tell(), self._size), self._size

    def close(self) -> None:
        """Release the file."""
        self._text.close()


def _detect_encoding(path: Path, raw: BinaryIO) -> tuple[str, str]:
    """Return the encoding of a text export and its first MiB, decoded."""
    sample = raw.read(_SAMPLE_BYTES)
    if sample.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            f"{path} is an Excel workbook, not a text file; give it the .xlsx suffix"
        )
    boms = [encoding for bom, encoding in _BOMS if sample.startswith(bom)]
    candidates = boms or ["utf-8", "cp1252"]
    for encoding in candidates:
        # Incremental decoding, so a character cut at the end of the sample is not an error.
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            return encoding, decoder.decode(sample, final=len(sample) < _SAMPLE_BYTES)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        f"{path} is not text in {' or '.join(candidates)} near its start; " + _RESAVE
    )


def _count_records(path: Path, encoding: str, delimiter: str, offset: int) -> int:
    """Return the number of the CSV record that holds the byte at offset."""

    def lines() -> Iterator[str]:
        position = 0
        with path.open("rb") as raw:
            for line in raw:
                if position + len(line) > offset:
                    # A stand-in character, so the record holding the offset is counted.
                    yield line[: offset - position].decode(encoding, "replace") + "?"
                    return
                position += len(line)
                yield line.decode(encoding, "replace")

    return sum(1 for _ in csv.reader(lines(), delimiter=delimiter))


def _sniff_delimiter(sample: str) -> str:
    """Return the delimiter: comma unless the header has none but has another separator."""
    header = re.split(r"[\r\n]", sample.lstrip("\r\n"), maxsplit=1)[0]
    if "," in header:
        return ","
    best = max(_OTHER_DELIMITERS, key=header.count)
    return best if best in header else ","


class _XlsxTable(_Table):
    """The first worksheet, or a named one, of an Excel workbook."""

    def __init__(self, path: Path, sheet: str | None) -> None:
        self._path = path
        try:
            self._workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except _WORKBOOK_ERRORS as error:
            raise UnreadableFile(
                f"{path} is not a valid Excel workbook (.xlsx); "
                "open it in Excel and save it as .xlsx or as 'CSV UTF-8'"
            ) from error
        try:
            worksheet = self._pick_sheet(sheet)
            # The declared size only guides the progress bar: exporters get it wrong, and
            # trusting it would cut rows and columns off silently.
            self._total = worksheet.max_row or 0
            worksheet.reset_dimensions()
            self._rows = enumerate(worksheet.values, start=1)
            self._done = 0
            self.columns = self._read_header()
        except BaseException:
            self._workbook.close()
            raise

    def _pick_sheet(self, sheet: str | None) -> ReadOnlyWorksheet:
        """Return the named worksheet, or the first one."""
        names = self._workbook.sheetnames
        if sheet is not None and sheet not in names:
            raise UnreadableFile(
                f'{self._path} has no sheet named "{sheet}"; its sheets are: {", ".join(names)}'
            )
        worksheets = self._workbook.worksheets
        chosen: object = self._workbook[sheet] if sheet is not None else None
        if sheet is None and worksheets:
            chosen = worksheets[0]
        if not isinstance(chosen, ReadOnlyWorksheet):
            raise UnreadableFile(f"{self._path} has no worksheet to read; name a sheet of data")
        return chosen

    def _read_header(self) -> tuple[str, ...]:
        """Read rows up to the first non-empty one and return it as the header."""
        try:
            for number, cells in self._rows:
                self._done = number
                texts = [_cell_text(value) for value in cells]
                if any(texts):
                    return _make_columns(self._path, texts, lettered=True)
        except _WORKBOOK_ERRORS as error:
            raise self._damaged(self._done + 1) from error
        raise UnreadableFile(f"file is empty: {self._path}; export it again with a header row")

    def __iter__(self) -> Iterator[Row]:
        """Yield each row that has any data."""
        try:
            for number, cells in self._rows:
                self._done = number
                values, problem = _fit(self.columns, [_cell_text(value) for value in cells])
                if problem or any(values.values()):
                    yield Row(number, values, problem)
        except _WORKBOOK_ERRORS as error:
            raise self._damaged(self._done + 1) from error
        self._total = self._done = max(self._total, self._done)

    def _damaged(self, number: int) -> UnreadableFile:
        """Explain a workbook that breaks part-way through."""
        return UnreadableFile(
            f"{self._path} is damaged at or after row {number}; "
            "open it in Excel and save it again, as .xlsx or as 'CSV UTF-8'"
        )

    def progress(self) -> tuple[int, int]:
        """Return rows read so far and the row count the workbook declares."""
        return self._done, max(self._total, self._done)

    def close(self) -> None:
        """Release the file."""
        self._workbook.close()


def _cell_text(value: object) -> str:
    """Return a spreadsheet cell's value as the text a person would see."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    return str(value)


class _JsonLinesTable(_Table):
    """One JSON object a line; the first object's keys are the header."""

    def __init__(self, path: Path, raw: BinaryIO) -> None:
        self._path = path
        self._raw = raw
        self._size = os.fstat(raw.fileno()).st_size
        self._lines = enumerate(raw, start=1)
        self._first: Row | None = self._read_first()

    def _read_first(self) -> Row:
        """Read the first object, taking its keys as the header, and return it as a row."""
        for number, line in self._lines:
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if line.strip():
                break
        else:
            raise UnreadableFile(f"file is empty: {self._path}; export it again")
        try:
            first = json.loads(line)
        except ValueError as error:
            raise self._not_jsonl(number) from error
        if not isinstance(first, dict):
            raise self._not_jsonl(number)
        self.columns = _make_columns(self._path, list(first), lettered=False)
        return self._make_row(number, first)

    def _not_jsonl(self, number: int) -> UnreadableFile:
        """Explain a first line that cannot give the header."""
        return UnreadableFile(
            f"{self._path}: line {number} is not a JSON object; "
            "a JSON Lines file needs one JSON object on each line"
        )

    def __iter__(self) -> Iterator[Row]:
        """Yield each line that has any data, bad lines included with their problem."""
        first, self._first = self._first, None
        rows = (self._parse(number, line) for number, line in self._lines if line.strip())
        for row in itertools.chain([first] if first else [], rows):
            if row.problem or any(row.values.values()):
                yield row

    def _parse(self, number: int, line: bytes) -> Row:
        """Turn one line into a row, or a row of blanks carrying the problem."""
        try:
            item = json.loads(line)
        except UnicodeDecodeError:
            return Row(number, dict.fromkeys(self.columns, ""), "line is not valid UTF-8")
        except ValueError:
            return Row(number, dict.fromkeys(self.columns, ""), "line is not valid JSON")
        if not isinstance(item, dict):
            return Row(number, dict.fromkeys(self.columns, ""), "line is not a JSON object")
        return self._make_row(number, item)

    def _make_row(self, number: int, item: dict[str, object]) -> Row:
        """Map an object's fields onto the header, noting fields that do not fit."""
        values = dict.fromkeys(self.columns, "")
        problems = []
        for key, value in item.items():
            name = key.strip()
            if name not in values:
                problems.append(f"unexpected field {name}")
            elif isinstance(value, dict | list):
                problems.append(f"field {name} is not a scalar")
            else:
                values[name] = _cell_text(value)
        return Row(number, values, "; ".join(problems) or None)

    def progress(self) -> tuple[int, int]:
        """Return bytes read so far and the file's size."""
        return min(self._raw.tell(), self._size), self._size

    def close(self) -> None:
        """Release the file."""
        self._raw.close()
