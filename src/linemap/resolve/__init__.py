"""Identity resolution: person mentions from every agency -> people.

The core is backend-neutral and pure: records and derived features (`record`, `name`,
`feature`), the comparison and blocking plan (`comparison`), trained models (`model`), scores
with their contributions (`score`) and clustering that honours human judgements (`cluster`).
Splink is imported only by `splink_backend` (DuckDB, in process) and `spark_backend`; `link`
runs the whole pipeline with whichever backend it is given.
"""
