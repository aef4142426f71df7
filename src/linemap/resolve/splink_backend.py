"""Splink 5 on DuckDB, in process: the one module (with spark_backend) that imports splink.

Turns the plan of `comparison` into Splink settings, trains without labels (u by random
sampling with a fixed seed, m by EM on blocked samples of at most `em_max_pairs` pairs), scores
candidate pairs and explains single pairs (a waterfall of per-comparison weights).
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import splink
import splink.comparison_level_library as cll
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.comparison_library import CustomComparison
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from linemap.resolve.blocking import fit_blocking_rules
from linemap.resolve.comparison import (
    DETERMINISTIC_RECALL,
    DETERMINISTIC_RULES,
    BlockingRule,
    Comparison,
    Kind,
    Level,
    make_blocking_rules,
    make_comparisons,
    make_training_blocks,
)
from linemap.resolve.feature import Features, make_features
from linemap.resolve.model import (
    DEFAULT_SEED,
    Model,
    Training,
    clamp_weights,
    without_term_frequencies,
)
from linemap.resolve.record import ID
from linemap.resolve.score import MatchScore, Predictions, make_match_score

U_MAX_PAIRS = 2e6
EM_MAX_PAIRS = 1e6

# Custom conditions, written for DuckDB; Splink translates them for other dialects (sqlglot).
_CUSTOM_SQL = {
    Kind.SWAPPED: "first_name_l = surname_r AND surname_l = first_name_r",
    Kind.CROSS: "first_name_l = surname_r OR surname_l = first_name_r",
    Kind.VARIANT: (
        "list_contains(first_name_variants_l, first_name_r)"
        " OR list_contains(first_name_variants_r, first_name_l)"
    ),
    Kind.INITIAL: (
        "(length(first_name_l) = 1 OR length(first_name_r) = 1)"
        " AND first_initial_l = first_initial_r"
    ),
    Kind.DOB_TRANSPOSED: (
        "dob_year_l = dob_year_r AND dob_month_l = dob_day_r AND dob_day_l = dob_month_r"
    ),
    Kind.DOB_COMPATIBLE: (
        "dob_year_l = dob_year_r"
        " AND (dob_month_l IS NULL OR dob_month_r IS NULL OR dob_month_l = dob_month_r)"
        " AND (dob_day_l IS NULL OR dob_day_r IS NULL OR dob_day_l = dob_day_r)"
    ),
}


def _level(level: Level, fixed_u: float | None = None) -> ComparisonLevelCreator:
    """Write one planned level with Splink's level library, labelled for explanations."""
    creator: ComparisonLevelCreator
    if level.kind is Kind.NULL:
        creator = cll.NullLevel(level.column)
    elif level.kind is Kind.EXACT:
        creator = cll.ExactMatchLevel(level.column, term_frequency_adjustments=level.term_frequency)
    elif level.kind is Kind.JARO_WINKLER:
        creator = cll.JaroWinklerLevel(level.column, level.threshold)
    elif level.kind is Kind.DAMERAU_LEVENSHTEIN:
        creator = cll.DamerauLevenshteinLevel(level.column, int(level.threshold))
    elif level.kind is Kind.YEAR_WITHIN:
        creator = cll.AbsoluteDifferenceLevel(level.column, difference_threshold=level.threshold)
    else:
        creator = cll.CustomLevel(_CUSTOM_SQL[level.kind], base_dialect_str="duckdb")
    if fixed_u is not None:
        return creator.configure(
            label_for_charts=level.label, u_probability=fixed_u, fix_u_probability=True
        )
    return creator.configure(label_for_charts=level.label)


def _comparison(comparison: Comparison, fixed_u: float | None = None) -> CustomComparison:
    """Write a comparison; `fixed_u` is the u of its exact level, when not to be sampled."""
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        _level(lv, fixed_u if lv.kind is Kind.EXACT else None) for lv in comparison.levels
    ]
    levels.append(cll.ElseLevel().configure(label_for_charts="all other pairs"))
    return CustomComparison(levels, comparison.name, comparison.description)


def _blocking_rule(rule: BlockingRule) -> Any:
    if not rule.crossed:
        return block_on(*rule.on)
    return " AND ".join(f"l.{a} = r.{b}" for a, b in zip(rule.on, rule.crossed, strict=True))


def make_settings(
    comparisons: tuple[Comparison, ...],
    rules: tuple[BlockingRule, ...],
    fixed_u: Mapping[str, float] | None = None,
) -> SettingsCreator:
    """Build the Splink settings for a plan (dedupe within one table of records).

    `fixed_u`: per comparison name, the u probability of its exact level, fixed rather than
    sampled (identifiers: two random records almost never share one, so sampling finds none).
    """
    fixed = fixed_u or {}
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name=ID,
        comparisons=[_comparison(c, fixed.get(c.name)) for c in comparisons],
        blocking_rules_to_generate_predictions=[_blocking_rule(r) for r in rules],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=[],
        max_iterations=25,
    )


class DuckDBBackend:
    """Splink on DuckDB in this process; `workdir` turns on parquet materialisation."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, *, workdir: Path | None = None, quiet: bool = True) -> None:
        self._workdir = workdir
        self._cache: tuple[int, str, Linker] | None = None  # (features id, fingerprint, linker)
        if quiet:
            logging.getLogger("splink").setLevel(logging.ERROR)

    # -- the seam a Spark backend overrides ------------------------------------------------

    def _db_api(self) -> Any:
        if self._workdir is None:
            return DuckDBAPI(duckdb.connect())
        materialise = tempfile.mkdtemp(prefix="linemap-splink-", dir=self._workdir)
        return DuckDBAPI(
            duckdb.connect(), materialisation="parquet", materialisation_dir=materialise
        )

    def _register(self, db_api: Any, table: pa.Table) -> Any:
        return db_api.register(typed(table))

    def _fetch(self, linker: Linker, sql: str) -> pa.Table:
        result: pa.Table = linker._db_api.duckdb_con.sql(sql).to_arrow_table()
        return result

    def _select(self, linker: Linker, columns: str, table: Any) -> pa.Table:
        """Read columns of one of Splink's tables (names Splink made, never user input)."""
        return self._fetch(linker, f"SELECT {columns} FROM {table.physical_name}")  # noqa: S608

    def _engine(self) -> str:
        return f"splink {splink.__version__} / duckdb {duckdb.__version__}"

    # -- the interface ---------------------------------------------------------------------

    def train(
        self,
        features: Features,
        *,
        seed: int = DEFAULT_SEED,
        u_max_pairs: float = U_MAX_PAIRS,
        em_max_pairs: float = EM_MAX_PAIRS,
    ) -> Model:
        """Train a model on records without labels; the same records and seed, the same model.

        Blocking rules are fitted to the distinct records, which are what `link` scores (see
        `duplicate`); the parameters are trained on every record.
        """
        comparisons = make_comparisons(features.fields, features.extras, features.identifiers)
        fitted = fit_blocking_rules(
            features.duplicates.representatives.table,
            make_blocking_rules(features.fields, features.extras, features.identifiers),
        )
        rules = tuple(f.rule for f in fitted)
        fixed_u = {name: agreement_share(features.table, name) for name in features.identifiers}
        linker = self._linker_over(
            self._db_api(), features, make_settings(comparisons, rules, fixed_u), comparisons
        )
        training = linker.training
        deterministic: list[str | BlockingRuleCreator] = [
            block_on(*r) for r in DETERMINISTIC_RULES if set(r) <= set(features.fields)
        ]
        if deterministic:
            training.estimate_probability_two_random_records_match(
                deterministic, recall=DETERMINISTIC_RECALL
            )
        # One chunk: ten (Splink's default) cost seconds of overhead even on small data.
        training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed, num_chunks=1)
        blocks = make_training_blocks(features.fields)
        for block in blocks:
            _expectation_maximisation(linker, block, em_max_pairs)
        settings = linker.misc.save_model_to_json()
        settings.pop("linker_uid", None)  # a random name for Splink's tables, not a parameter
        clamp_weights(settings, comparisons)
        model = Model(
            settings=settings,
            comparisons=comparisons,
            blocking_rules=rules,
            fields=features.fields,
            extras=features.extras,
            identifiers=features.identifiers,
            training=Training(
                features.table.num_rows,
                seed,
                u_max_pairs,
                em_max_pairs,
                blocks,
                tuple(f.pairs for f in fitted),
                self._engine(),
            ),
        )
        self._cache = None
        return model

    def _settings(self, model: Model) -> dict[str, Any]:
        """Give the model's settings in this backend's SQL dialect, with its trained parameters.

        Conditions are SQL text in the dialect the model was trained on (DuckDB quotes columns
        with double quotes, which Spark reads as strings), so a model trained elsewhere is
        rewritten from its plan and given the trained m, u and prior.
        """
        if model.settings.get("sql_dialect") == self.dialect:
            return dict(model.settings)
        rebuilt = make_settings(model.comparisons, model.blocking_rules)
        settings = rebuilt.create_settings_dict(self.dialect)
        settings["probability_two_random_records_match"] = model.settings[
            "probability_two_random_records_match"
        ]
        for mine, trained in zip(
            settings["comparisons"], model.settings["comparisons"], strict=True
        ):
            for level, trained_level in zip(
                mine["comparison_levels"], trained["comparison_levels"], strict=True
            ):
                for key in ("m_probability", "u_probability"):
                    if key in trained_level:
                        level[key] = trained_level[key]
        return settings

    def _linker_over(
        self,
        db_api: Any,
        features: Features,
        settings: Any,
        comparisons: Sequence[Comparison],
    ) -> Linker:
        """Give a linker over these records, exact matches adjusted for how common a value is
        among `features.frequencies` (all the records, when these are their distinct ones)."""
        linker = Linker(self._register(db_api, features.table), settings, log_level=None)
        if features.frequencies is not None:
            for column in _frequency_columns(comparisons):
                lookup = term_frequencies(features.frequencies, column)
                linker.table_management.register_term_frequency_lookup(
                    self._register(db_api, lookup), column
                )
        return linker

    def _linker(self, features: Features, model: Model) -> Linker:
        """Give a linker over these records with the model's parameters, reusing the last one."""
        if self._cache and self._cache[0] == id(features) and self._cache[1] == model.fingerprint:
            return self._cache[2]
        settings = self._settings(model)
        linker = self._linker_over(self._db_api(), features, settings, model.comparisons)
        self._cache = (id(features), model.fingerprint, linker)
        return linker

    def predict(self, features: Features, model: Model, *, threshold: float) -> Predictions:
        """Score the candidate pairs and keep those at or above a match probability."""
        linker = self._linker(features, model)
        scored = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        columns = f"{ID}_l AS id_l, {ID}_r AS id_r, match_weight, match_probability"
        table = self._select(linker, columns, scored)
        scored.drop_table_from_database_and_remove_from_cache()
        return Predictions(table, model, threshold)

    def blocked_pairs(self, features: Features, model: Model) -> pa.Table:
        """Return every candidate pair (id_l, id_r) the blocking rules make, to measure recall."""
        linker = self._linker(features, model)
        blocked = linker.inference.compute_blocked_pairs_for_predict()
        table = self._select(linker, "join_key_l AS id_l, join_key_r AS id_r", blocked)
        blocked.drop_table_from_database_and_remove_from_cache()
        return table

    def _score_given(
        self,
        features: Features,
        model: Model,
        settings: dict[str, Any],
        pairs: Sequence[tuple[str, str]],
    ) -> tuple[Linker, Any]:
        """Score exactly the given pairs of these records; return the linker and Splink's table.

        Only the records the pairs name are handed to Splink (a few thousand pairs of a
        million records need not cost a million rows); exact matches are still adjusted for
        how common a value is among all of them.
        """
        db_api = self._db_api()
        named = pa.array({record for pair in pairs for record in pair}, pa.string())
        subset = dataclasses.replace(
            features,
            table=features.table.filter(pc.is_in(features.ids, value_set=named)),
            frequencies=features.table if features.frequencies is None else features.frequencies,
        )
        linker = self._linker_over(db_api, subset, settings, model.comparisons)
        keys = pa.table(
            {
                "match_key": pa.array(["0"] * len(pairs)),
                "join_key_l": pa.array([left for left, _ in pairs], pa.string()),
                "join_key_r": pa.array([right for _, right in pairs], pa.string()),
            }
        )
        linker.table_management.register_blocked_pairs_for_predict(self._register(db_api, keys))
        return linker, linker.inference.predict(warning_mode="never")

    def score_pairs(
        self, features: Features, model: Model, pairs: Sequence[tuple[str, str]]
    ) -> pa.Table:
        """Score the given pairs of these records: id_l, id_r, match_weight, match_probability.

        One row per pair, in no particular order. Term frequencies come from `features`.
        """
        if not pairs:
            return pa.table(
                {"id_l": [], "id_r": [], "match_weight": [], "match_probability": []},
                schema=_PAIR_SCHEMA,
            )
        linker, scored = self._score_given(features, model, dict(self._settings(model)), pairs)
        columns = f"{ID}_l AS id_l, {ID}_r AS id_r, match_weight, match_probability"
        table = self._select(linker, columns, scored)
        scored.drop_table_from_database_and_remove_from_cache()
        return table

    def explain_pairs(
        self, features: Features, model: Model, pairs: Sequence[tuple[str, str]]
    ) -> list[MatchScore]:
        """Score the given pairs of these records with each comparison's level and weight.

        In the order given; for a review queue, say. Term frequencies come from `features`.
        """
        if not pairs:
            return []
        settings = _explaining(self._settings(model))
        linker, scored = self._score_given(features, model, settings, pairs)
        rows = self._select(linker, "*", scored).to_pylist()
        found = {(str(r[f"{ID}_l"]), str(r[f"{ID}_r"])): r for r in rows}
        return [make_match_score(model, found[pair], ()) for pair in pairs]

    def explain(
        self,
        model: Model,
        record_l: Mapping[str, Any],
        record_r: Mapping[str, Any],
        *,
        context: Features | None = None,
    ) -> MatchScore:
        """Score one pair of feature records with each comparison's level and weight.

        With `context` (the records the pair came from), exact matches are adjusted for how
        common the value is there, as in `predict`; without it they are not, and a caveat says so.
        """
        settings = _explaining(self._settings(model))
        caveats: tuple[str, ...] = ()
        if context is None:
            settings = without_term_frequencies(settings)
            caveats = ("term frequency adjustments not applied: no records given as context",)
        schema = context.table.schema if context is not None else _feature_schema(model)
        pair = pa.Table.from_pylist([dict(record_l), dict(record_r)], schema=schema)
        db_api = self._db_api()
        if context is None:
            linker = Linker(self._register(db_api, pair), settings, log_level=None)
        else:
            linker = self._linker_over(db_api, context, settings, model.comparisons)
        left, right = (self._register(db_api, pair.slice(i, 1)) for i in (0, 1))
        scored = linker.inference.score_pair(left, right)
        row = self._select(linker, "*", scored).to_pylist()[0]
        return make_match_score(model, row, caveats)


def _feature_schema(model: Model) -> pa.Schema:
    """Give the schema of feature records for a model's fields and extra columns."""
    schema = make_features([{ID: "schema"}]).table.schema
    for extra in (*model.extras, *model.identifiers):
        schema = schema.append(pa.field(extra, pa.string()))
    return schema


_PAIR_SCHEMA = pa.schema(
    [
        ("id_l", pa.string()),
        ("id_r", pa.string()),
        ("match_weight", pa.float64()),
        ("match_probability", pa.float64()),
    ]
)


def _frequency_columns(comparisons: Sequence[Comparison]) -> list[str]:
    """Name the columns whose exact matches are adjusted for how common the value is."""
    return list(
        dict.fromkeys(
            level.column
            for comparison in comparisons
            for level in comparison.levels
            if level.term_frequency
        )
    )


def agreement_share(table: pa.Table, column: str) -> float:
    """Give the chance that two records holding a value hold the same one (sum of squared
    shares): an upper bound on an identifier's u, since it counts true matches too."""
    values = table.column(column).drop_null()
    counts = pc.value_counts(values).field("counts").to_pylist()
    return float(sum(n * n for n in counts)) / float(len(values)) ** 2


def term_frequencies(table: pa.Table, column: str) -> pa.Table:
    """Give each value's share of the records holding a value, as Splink computes it."""
    values = table.column(column).drop_null()
    counts = pa.table({column: values}).group_by(column).aggregate([([], "count_all")])
    shares = pc.divide(pc.cast(counts.column("count_all"), pa.float64()), float(len(values)))
    return pa.table({column: counts.column(column), f"tf_{column}": shares})


def typed(table: pa.Table) -> pa.Table:
    """Give all-missing columns a text type (Spark cannot infer one; records from dicts lack it)."""
    for position, column in enumerate(table.schema):
        if pa.types.is_null(column.type):
            table = table.set_column(position, column.name, pa.nulls(table.num_rows, pa.string()))
    return table


def _explaining(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Copy settings so that scoring keeps each comparison's level and Bayes factors."""
    return {
        **settings,
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": True,
    }


def _expectation_maximisation(linker: Linker, block: tuple[str, ...], max_pairs: float) -> None:
    """Run one EM session; on small data retry with fewer iterations if an m underflows.

    A level that true matches never reach (say, different phone numbers within a block of
    identical names, when nobody changed phone) has its m shrink geometrically, and after enough
    iterations Splink refuses the 0.0 it underflows to. Fewer iterations stop short of that.
    """
    splink_settings = linker._settings_obj  # Splink has no public knob per session
    full = splink_settings.training_settings
    iterations = full.max_iterations
    try:
        while True:
            # The session filters the linker's own comparisons in place and restores them only
            # when it succeeds (Splink 5.0.0), so keep a copy to put back after a failure.
            before = splink_settings.core_model_settings.copy()  # type: ignore[no-untyped-call]
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    block_on(*block), estimate_without_term_frequencies=True, max_pairs=max_pairs
                )
                return
            except ValueError:
                splink_settings.core_model_settings = before
                if iterations <= 2:
                    raise
                iterations //= 2
                splink_settings.training_settings = dataclasses.replace(
                    full, max_iterations=iterations
                )
    finally:
        splink_settings.training_settings = full
