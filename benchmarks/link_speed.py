"""Time `linemap link` on synthetic person records against bare Splink with the same settings.

Target (issue 5): `linemap link` on 1,000,000 rows within 1.5x the wall time of bare Splink.

Both run in their own process, one after the other, and report wall time and peak memory
(the child's maxrss). `linemap link` does the whole job: read the CSV, recognise columns,
normalise every value with the intake normalisers, derive features, train, score, cluster and
write `id,cluster_id`. Bare Splink gets the derived feature table ready-made as Parquet (the
settings compare derived columns), then trains the same way, scores with the same settings,
clusters with Splink's own connected components and writes the same CSV: its figure is the
floor that linemap's own work is measured against.

Everyone in the file is invented: forenames from the simulator's lists, surnames made of
syllables, made-up postcodes, phone numbers from Ofcom's drama ranges only.

Usage: python benchmarks/link_speed.py [--rows N] [--seed N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from linemap.simulate.person import (
    DRAMA_LANDLINES,
    DRAMA_MOBILES,
    FEMALE,
    MALE,
    NICKNAMES,
    SURNAMES,
)

SYLLABLES = (
    "ab", "ad", "al", "an", "ar", "ba", "be", "bi", "bo", "ca", "ch", "da", "de", "do", "el",
    "en", "er", "fa", "fi", "ga", "go", "ha", "he", "ho", "in", "ja", "ka", "ke", "ki", "la",
    "le", "li", "lo", "ma", "me", "mi", "mo", "na", "ne", "ni", "no", "ok", "ol", "on", "or",
    "pa", "pe", "ra", "re", "ri", "ro", "sa", "se", "sh", "si", "so", "ta", "te", "th", "ti",
    "to", "ul", "un", "va", "ve", "wa", "we", "wi", "ya", "yo", "za", "ze",
)  # fmt: skip
AREAS = ("B", "M", "LS", "NG", "CV", "DE", "LE", "ST", "WV", "WS", "DY", "S", "L", "BS", "BD", "HU")


class People:
    """Invent people with name lists skewed as real ones are (a few names are very common)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = list(SURNAMES) + sorted(
            {
                "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
                for _ in range(60_000)
            }
        )
        self.forenames = list(MALE + FEMALE) + sorted(
            {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(3_000)}
        )
        self.phones = [
            f"{prefix}{n:0{len(str(count - 1))}d}"
            for prefix, count in (DRAMA_MOBILES, *DRAMA_LANDLINES)
            for n in range(count)
        ]
        rng.shuffle(self.phones)
        self._weights: dict[int, list[float]] = {}

    def _skewed(self, names: list[str], offset: int) -> str:
        # Zipf-like, as real names are: with offset 10 the commonest surname is about 1% of
        # people (Smith is 1.3% in England and Wales); with offset 3 the commonest forename 5%.
        weights = self._weights.get(offset)
        if weights is None:
            weights = self._weights[offset] = list(
                itertools.accumulate(1.0 / (r + offset) for r in range(len(names)))
            )
        return self.rng.choices(names, cum_weights=weights)[0]

    def person(self, number: int) -> dict[str, str | None]:
        """Invent one person."""
        rng = self.rng
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 50))
        area = rng.choice(AREAS)
        unit = "".join(rng.choices("ABDEFGHJLNPQRSTUWXYZ", k=2))
        postcode = f"{area}{rng.randint(1, 40)} {rng.randint(0, 9)}{unit}"
        phone = self.phones.pop() if self.phones and rng.random() < 0.05 else None
        forename = self._skewed(self.forenames, 3).title()
        return {
            "forename": forename,
            "surname": self._skewed(self.surnames, 10).title(),
            "born": born.isoformat(),
            "postcode": postcode,
            "phone": phone,
            "id": f"P{number:07d}",
        }


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 4 or rng.random() >= 0.05:
        return name
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def mention(rng: random.Random, person: dict[str, str | None]) -> list[str]:
    """Write one agency's mention of a person, garbled the usual ways."""
    forename, surname = str(person["forename"]), str(person["surname"])
    short = NICKNAMES.get(forename)
    forename = rng.choice(short) if short and rng.random() < 0.08 else _typo(rng, forename)
    surname = _typo(rng, surname)
    if rng.random() < 0.02:
        forename, surname = surname, forename
    born = date.fromisoformat(str(person["born"]))
    roll = rng.random()
    if roll < 0.06:
        dob = ""
    elif roll < 0.11:
        dob = str(born.year)
    elif roll < 0.13 and born.day <= 12:
        dob = f"{born.month:02d}/{born.day:02d}/{born.year}"  # transposed
    else:
        dob = f"{born.day:02d}/{born.month:02d}/{born.year}"
    postcode = str(person["postcode"]) if rng.random() < 0.7 else ""
    phone = str(person["phone"] or "") if rng.random() < 0.6 else ""
    return [forename, surname, dob, postcode, phone.replace("+44", "0")]


def write_input(path: Path, rows: int, seed: int) -> dict[str, str]:
    """Write the CSV of mentions; return each mention's person."""
    rng = random.Random(seed)
    people = People(rng)
    columns: list[list[str]] = [[] for _ in range(6)]
    truth: dict[str, str] = {}
    number = 0
    while len(columns[0]) < rows:
        person = people.person(number)
        number += 1
        for _ in range(min(rng.randint(1, 4), rows - len(columns[0]))):
            record_id = f"M{len(columns[0]):07d}"
            columns[0].append(record_id)
            for position, value in enumerate(mention(rng, person), start=1):
                columns[position].append(value)
            truth[record_id] = str(person["id"])
    names = ["record_id", "Forename", "Surname", "Date of Birth", "Postcode", "Mobile"]
    pa_csv.write_csv(pa.table(dict(zip(names, columns, strict=True))), path)
    return truth


def run(command: list[str]) -> tuple[float, float]:
    """Run a command in its own process; return wall seconds and its peak memory in GB."""
    start = time.perf_counter()
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {' '.join(command[:4])} ...")
    return seconds, usage.ru_maxrss / 1024 / 1024


def bare(features_path: Path, model_path: Path, output: Path, seed: int, threshold: float) -> None:
    """Bare Splink: the same settings and training, Splink's clustering, the same CSV out.

    The blocking rules are the ones `linemap link` fitted to these records (read from its
    saved model), so both score the same candidate pairs.
    """
    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    from linemap.resolve import comparison as plan
    from linemap.resolve.model import Model, clamp_weights
    from linemap.resolve.splink_backend import EM_MAX_PAIRS, U_MAX_PAIRS, make_settings

    con = duckdb.connect()
    table = con.read_parquet(str(features_path))
    fields = tuple(
        f for f in ("first_name", "surname", "dob", "postcode", "phone") if f in table.columns
    )
    rules = Model.from_json(model_path.read_text()).blocking_rules
    comparisons = plan.make_comparisons(fields)
    registered = DuckDBAPI(con).register(table)
    linker = Linker(registered, make_settings(comparisons, rules), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on(*r) for r in plan.DETERMINISTIC_RULES], recall=plan.DETERMINISTIC_RECALL
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=seed, num_chunks=1)
    for block in plan.make_training_blocks(fields):
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*block), estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS
        )
    # The same treatment of the trained parameters: neutral levels zeroed, alias clamped.
    trained = linker.misc.save_model_to_json()
    clamp_weights(trained, comparisons)
    linker = Linker(registered, trained, log_level=logging.WARNING)
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    con.sql(
        f"COPY (SELECT unique_id AS id, cluster_id FROM {clusters.physical_name})"
        f" TO '{output}' (HEADER)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--threshold", type=float, default=0.95)
    parser.add_argument("--keep", type=Path, help="Keep the files in this folder")
    parser.add_argument("--bare", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        bare(*args.bare, args.seed, args.threshold)
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="link-speed-"))
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "mentions.csv"
    started = time.perf_counter()
    truth = write_input(source, args.rows, args.seed)
    print(f"wrote {args.rows:,} synthetic mentions in {time.perf_counter() - started:.1f} s")

    command = [sys.executable, "-m", "linemap", "link", str(source), "--id-column", "record_id"]
    command += ["--output", str(folder / "linemap.csv"), "--threshold", str(args.threshold)]
    command += ["--seed", str(args.seed), "--save-model", str(folder / "model.json")]
    linemap_s, linemap_gb = run(command)

    features_path = folder / "features.parquet"
    _write_features(source, features_path)
    bare_s, bare_gb = run(
        [
            sys.executable,
            __file__,
            "--bare",
            str(features_path),
            str(folder / "model.json"),
            str(folder / "bare.csv"),
            "--seed",
            str(args.seed),
            "--threshold",
            str(args.threshold),
        ]
    )

    from linemap.simulate.metric import pairwise

    for name, seconds, gb, output in (
        ("linemap link", linemap_s, linemap_gb, "linemap.csv"),
        ("bare Splink", bare_s, bare_gb, "bare.csv"),
    ):
        clusters = pa_csv.read_csv(
            folder / output,
            convert_options=pa_csv.ConvertOptions(
                column_types={"id": pa.string(), "cluster_id": pa.string()}
            ),
        )
        predicted = dict(
            zip(
                clusters.column("id").to_pylist(),
                clusters.column("cluster_id").to_pylist(),
                strict=True,
            )
        )
        score = pairwise(predicted, truth)
        print(
            f"{name:13} {seconds:6.1f} s  {gb:5.2f} GB  pairwise P {score.precision:.3f}"
            f" R {score.recall:.3f} F1 {score.f1:.3f}"
        )
    print(f"ratio linemap / bare Splink: {linemap_s / bare_s:.2f}x wall time (target 1.5x or less)")


def _write_features(source: Path, target: Path) -> None:
    """Derive the feature table exactly as `linemap link` does, for bare Splink to read."""
    from linemap.cli.link import prepare_records, read_csv
    from linemap.resolve.feature import make_features
    from linemap.resolve.record import make_column_map

    table = read_csv(source)
    records, _ = prepare_records(table, make_column_map(table.column_names, "record_id", {}, ()))
    pq.write_table(make_features(records).table, target)


if __name__ == "__main__":
    main()
