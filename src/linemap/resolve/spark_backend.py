"""Splink 5 on Spark: the same plan and interface as the DuckDB backend, for data past one machine.

pyspark is an optional extra (`pip install linemap[spark]`) and is imported only when a
SparkBackend is built. The plan's levels are written with Splink's level library, which knows
each dialect; the custom conditions are written for DuckDB and translated by Splink (sqlglot).
Dates of birth are compared as text and integer parts, never through a datetime format, because
formats are strftime on DuckDB but Java patterns on Spark. Spark costs about 30 s of start-up
and overhead even on small data: use it for scale, not speed.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import splink
from splink import Linker

from linemap.resolve.splink_backend import DuckDBBackend, typed


def spark_available() -> bool:
    """Tell whether pyspark is installed."""
    return importlib.util.find_spec("pyspark") is not None


class SparkBackend(DuckDBBackend):
    """Splink on a Spark session: local (`local[*]`) unless a session is given."""

    name = "spark"
    dialect = "spark"

    def __init__(
        self, *, workdir: Path | None = None, session: Any = None, quiet: bool = True
    ) -> None:
        super().__init__(workdir=None, quiet=quiet)
        self._spark_workdir = workdir
        self._session = session

    def session(self) -> Any:
        """Return the Spark session, starting a local one with Splink's UDF jar on first use."""
        if self._session is None:
            from pyspark.sql import SparkSession
            from splink.backends.spark import similarity_jar_location

            scratch = tempfile.mkdtemp(prefix="linemap-spark-", dir=self._spark_workdir)
            self._session = (
                SparkSession.builder.master("local[*]")
                .appName("linemap-link")
                .config("spark.jars", similarity_jar_location())
                .config("spark.sql.shuffle.partitions", "8")
                .config("spark.local.dir", scratch)
                .config("spark.ui.enabled", "false")
                .getOrCreate()
            )
            self._session.sparkContext.setCheckpointDir(str(Path(scratch) / "checkpoints"))
            self._session.sparkContext.setLogLevel("ERROR")
        return self._session

    def _db_api(self) -> Any:
        from splink.backends.spark import SparkAPI

        return SparkAPI(spark_session=self.session())  # type: ignore[no-untyped-call]

    def _register(self, db_api: Any, table: pa.Table) -> Any:
        return db_api.register(self.session().createDataFrame(typed(table)))

    def _fetch(self, linker: Linker, sql: str) -> pa.Table:
        result: pa.Table = self.session().sql(sql).toArrow()
        return result

    def _engine(self) -> str:
        return f"splink {splink.__version__} / spark {self.session().version}"
