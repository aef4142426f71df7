"""`linemap link`: resolve the person records of any CSV file into clusters, with no database.

For analysts, and for comparing linemap with other tools. Reads the file, recognises or maps
its columns, normalises values with the intake normalisers, runs `resolve.link.link` and
writes `id,cluster_id` for every row (and `id_l,id_r,match_probability` with --pairs).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import typer
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from linemap.cli.common import console, error_console
from linemap.errors import InvalidInput, UnreadableFile
from linemap.intake.normalise import (
    MissingValue,
    Normalised,
    NormaliseError,
    Normaliser,
    normalise_alias,
    normalise_date,
    normalise_date_of_birth,
    normalise_full_name,
    normalise_name,
    normalise_phone,
    normalise_postcode,
    normalise_text,
)
from linemap.model.partial_date import PartialDate
from linemap.resolve.backend import BACKENDS, Backend, make_backend
from linemap.resolve.link import DEFAULT_MATCH_THRESHOLD, DEFAULT_NAME_THRESHOLD, LinkResult
from linemap.resolve.link import link as resolve_link
from linemap.resolve.model import DEFAULT_SEED, Model
from linemap.resolve.record import (
    FULL_NAME,
    ID,
    ColumnMap,
    ValueNormaliser,
    make_column_map,
    normalise_column,
    normalise_records,
    parse_map,
)


def _date_of_birth(raw: str) -> Normalised:
    """Read a date of birth, also outside intake's 1900..today range (any file may be historical).

    Intake refuses those as typos in live casework; a file given to `linemap link` is taken as
    it is, so a full calendar date or an ISO partial date of any year is kept.
    """
    try:
        return normalise_date_of_birth(raw)
    except MissingValue:
        raise
    except NormaliseError:
        try:
            return normalise_date(raw)
        except NormaliseError:
            try:
                return Normalised(str(PartialDate.parse_iso(raw)))
            except ValueError:
                raise NormaliseError("not a recognised date of birth") from None


_NORMALISERS: dict[str, Normaliser] = {
    "first_name": normalise_name,
    "surname": normalise_name,
    "dob": _date_of_birth,
    "postcode": normalise_postcode,
    "phone": normalise_phone,
    "alias": normalise_alias,
    "address": normalise_text,
}


def _value(normaliser: Normaliser) -> ValueNormaliser:
    """Adapt an intake normaliser: the normalised text, or None when the value is unusable."""

    def normalise(raw: str) -> str | None:
        if not raw:
            return None
        try:
            return normaliser(raw).value
        except MissingValue:
            return ""  # the cell says "unknown": missing, not a mistake
        except NormaliseError:
            return None

    return normalise


def _part(key: str) -> ValueNormaliser:
    """Read one part ("forename" or "surname") of a whole name."""

    def normalise(raw: str) -> str | None:
        try:
            return normalise_full_name(raw).extra.get(key) if raw else None
        except NormaliseError:
            return None

    return normalise


def read_csv(path: Path) -> pa.Table:
    """Read a CSV file as text columns (UTF-8, with or without BOM, or Windows-1252)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError:
        with path.open(encoding="cp1252", newline="") as handle:
            header = next(csv.reader(handle), None)
    except OSError as error:
        raise UnreadableFile(f"cannot read {path.name}: {error.strerror}; check the path") from None
    if not header:
        raise UnreadableFile(f"{path.name} is empty or has no header row; give a CSV file")
    if len(set(header)) < len(header):
        raise UnreadableFile(f"{path.name} repeats a column name in its header; rename it")
    for encoding in ("utf8", "cp1252"):
        try:
            return pa_csv.read_csv(
                path,
                read_options=pa_csv.ReadOptions(encoding=encoding),
                convert_options=pa_csv.ConvertOptions(
                    column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=True
                ),
            )
        except (pa.ArrowInvalid, UnicodeDecodeError) as error:
            if "decode" in str(error).lower() or isinstance(error, UnicodeDecodeError):
                continue
            break
    # Arrow's message quotes the offending row, which may hold personal data: never show it.
    raise UnreadableFile(
        f"{path.name} is not a well-formed CSV file (a row has the wrong number of columns,"
        " or bad quoting); check it in a spreadsheet program"
    )


def prepare_records(table: pa.Table, columns: ColumnMap) -> tuple[pa.Table, tuple[str, ...]]:
    """Select and rename the mapped columns, split whole names, normalise every value."""
    selected = {ID: pc.utf8_trim_whitespace(table.column(columns.id_column))}
    for field_name, column in columns.fields.items():
        selected[field_name] = table.column(column)
    for extra in columns.extras:
        selected[extra] = table.column(extra)
    records = pa.table(selected)
    if FULL_NAME in columns.fields:
        for part, key in (("first_name", "forename"), ("surname", "surname")):
            if part not in columns.fields:
                values, _ = normalise_column(records.column(FULL_NAME), _part(key))
                records = records.append_column(part, values)
        records = records.drop_columns([FULL_NAME])
    normalisers = {name: _value(n) for name, n in _NORMALISERS.items()}
    records, report = normalise_records(records, normalisers)
    return records, report.caveats


def link(
    input_path: Annotated[
        Path, typer.Argument(help="CSV file of person records", metavar="INPUT.csv")
    ],
    id_column: Annotated[
        str, typer.Option("--id-column", help="Column holding each row's unique id")
    ],
    output: Annotated[Path, typer.Option("--output", help="Write id,cluster_id here")],
    mapping: Annotated[
        str | None,
        typer.Option(
            "--map",
            help="FIELD=COLUMN,... with fields first_name, surname, full_name, dob, postcode,"
            " phone, alias, address, and extra (repeatable) for other columns to compare",
        ),
    ] = None,
    pairs: Annotated[
        Path | None, typer.Option("--pairs", help="Write id_l,id_r,match_probability here")
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Match probability that joins two records")
    ] = DEFAULT_MATCH_THRESHOLD,
    name_threshold: Annotated[
        float,
        typer.Option(
            "--name-threshold",
            help="Match probability from which a record holding only a name joins the one"
            " person it matches, when it matches no one else",
        ),
    ] = DEFAULT_NAME_THRESHOLD,
    explain: Annotated[
        tuple[str, str] | None,
        typer.Option("--explain", help="Explain the score of two records", metavar="ID_L ID_R"),
    ] = None,
    backend: Annotated[str, typer.Option("--backend", help=" or ".join(BACKENDS))] = "duckdb",
    seed: Annotated[
        int, typer.Option("--seed", help="Seed for training; same seed, same model")
    ] = DEFAULT_SEED,
    model_path: Annotated[
        Path | None, typer.Option("--model", help="Use this trained model (JSON); no training")
    ] = None,
    save_model: Annotated[
        Path | None, typer.Option("--save-model", help="Write the trained model (JSON) here")
    ] = None,
) -> None:
    """Resolve the person records of a CSV file into clusters of the same person."""
    table = read_csv(input_path)
    fields, extras = parse_map(mapping or "")
    columns = make_column_map(table.column_names, id_column, fields, extras)
    records, caveats = prepare_records(table, columns)
    model = _read_model(model_path) if model_path else None
    engine = make_backend(backend)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=error_console, transient=True,
    ) as bar:  # fmt: skip
        step: list[TaskID] = []

        def progress(description: str) -> None:
            if step:
                bar.update(step[-1], completed=1)
            step.append(bar.add_task(description.capitalize(), total=1))

        result = resolve_link(
            records, engine, threshold=threshold, name_threshold=name_threshold, model=model,
            seed=seed, extras=columns.extras, progress=progress,
        )  # fmt: skip
    _write_outputs(result, output, pairs, threshold)
    if save_model:
        save_model.write_text(result.model.to_json(), encoding="utf-8")
    clusters = len(set(result.clustering.cluster_of.values()))
    console.print(
        f"Linked {len(result.features):,} records into {clusters:,} clusters at match probability"
        f" {threshold:g}; wrote {output}" + (f" and {pairs}" if pairs else "")
    )
    for caveat in (*caveats, *result.caveats):
        console.print(f"  note: {caveat}")
    if explain:
        _explain(engine, result, *explain)


def _read_model(path: Path) -> Model:
    try:
        return Model.from_json(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UnreadableFile(f"cannot read model {path.name}: {error.strerror}") from None


def _write_outputs(result: LinkResult, output: Path, pairs: Path | None, threshold: float) -> None:
    """Write id,cluster_id for every record in input order, and the pairs if asked."""
    ids = result.features.ids.to_pylist()
    cluster_of = result.clustering.cluster_of
    clusters = pa.table({"id": ids, "cluster_id": [cluster_of[i] for i in ids]})
    try:
        pa_csv.write_csv(clusters, output)
        if pairs is not None:
            pa_csv.write_csv(result.predictions.pairs(threshold), pairs)
    except OSError as error:
        raise UnreadableFile(f"cannot write the output: {error.strerror}; check the path") from None


def _explain(engine: Backend, result: LinkResult, id_l: str, id_r: str) -> None:
    """Print each comparison's level and match weight for two records (a waterfall)."""
    table = result.features.table
    found = table.filter(pc.is_in(table.column(ID), pa.array([id_l, id_r]))).to_pylist()
    by_id = {row[ID]: row for row in found}
    for record_id in (id_l, id_r):
        if record_id not in by_id:
            raise InvalidInput(
                f"--explain: no record has id {record_id!r}; give two ids from the input"
            )
    score = engine.explain(result.model, by_id[id_l], by_id[id_r], context=result.features)
    waterfall = Table("comparison", "level", "match weight", title=f"Records {id_l} and {id_r}")
    waterfall.add_row("prior", "two records picked at random", f"{score.prior_weight:+.2f}")
    for part in score.contributions:
        tf = (
            f" (term frequency {part.term_frequency_weight:+.2f})"
            if part.term_frequency_weight
            else ""
        )
        waterfall.add_row(part.description, part.level, f"{part.weight:+.2f}{tf}")
    waterfall.add_row(
        "total", f"match probability {score.match_probability:.4f}", f"{score.match_weight:+.2f}"
    )
    console.print(waterfall)
    for caveat in score.caveats:
        console.print(f"  note: {caveat}")
