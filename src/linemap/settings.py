"""Settings, read once from the environment (LINEMAP_*) and passed down explicitly."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from linemap.errors import ConfigurationError

DEFAULT_DATABASE_URL = "sqlite:///linemap.db"


@dataclass(frozen=True)
class Settings:
    """Everything configurable; build with `Settings.from_env()` or directly in tests."""

    database_url: str = DEFAULT_DATABASE_URL
    actor: str = "cli"
    mapping_dirs: tuple[Path, ...] = field(default_factory=tuple)
    ingest_chunk_rows: int = 20_000
    ingest_parallel_from_bytes: int = 8 * 1024 * 1024  # smaller files are mapped in process
    session_idle_minutes: int = 30  # ASVS 7.3.1 inactivity timeout
    session_max_hours: int = 12  # ASVS 7.3.2 absolute lifetime
    sign_in_limit: int = 5  # failed sign-ins per username or client ...
    sign_in_window_seconds: int = 900  # ... in this window
    upload_max_bytes: int = 50 * 1024 * 1024  # R33: largest file the web intake accepts
    match_threshold: float = 0.95  # resolution: pairs at or above join (precision first)
    review_threshold: float = 0.5  # resolution: pairs from here to the match threshold are reviewed
    name_threshold: float = 0.5  # resolution: a bare name joins the one person it matches from here
    resolve_backend: str = "duckdb"  # or "spark" (the optional `spark` extra)
    secure_cookies: bool = True  # False only for plain-http local use (the demo on 127.0.0.1)
    equality_baseline: Path | None = None  # YAML baseline for equality monitoring (None: packaged)
    community_report_agency: str | None = None  # the agency code receiving community reports

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Read LINEMAP_* variables; keyword overrides (e.g. from CLI flags) win when not None."""
        env = os.environ if environ is None else environ
        dirs = tuple(Path(p) for p in env.get("LINEMAP_MAPPING_PATH", "").split(os.pathsep) if p)
        values: dict[str, object] = {
            "database_url": env.get("LINEMAP_DATABASE_URL", DEFAULT_DATABASE_URL),
            "actor": env.get("LINEMAP_ACTOR", "cli"),
            "mapping_dirs": dirs,
        }
        for name in ("match_threshold", "review_threshold", "name_threshold"):
            variable = f"LINEMAP_{name.upper()}"
            if env.get(variable):
                values[name] = _probability(variable, env[variable])
        if env.get("LINEMAP_EQUALITY_BASELINE"):
            values["equality_baseline"] = Path(env["LINEMAP_EQUALITY_BASELINE"])
        if env.get("LINEMAP_COMMUNITY_REPORT_AGENCY"):
            values["community_report_agency"] = env["LINEMAP_COMMUNITY_REPORT_AGENCY"].strip()
        if env.get("LINEMAP_RESOLVE_BACKEND"):
            values["resolve_backend"] = env["LINEMAP_RESOLVE_BACKEND"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        made = cls(**values)  # type: ignore[arg-type]
        if made.review_threshold > made.match_threshold:
            raise ConfigurationError(
                "LINEMAP_REVIEW_THRESHOLD is above LINEMAP_MATCH_THRESHOLD: pairs are reviewed"
                " from the review threshold up to the match threshold; lower the first"
            )
        if made.name_threshold > made.match_threshold:
            raise ConfigurationError(
                "LINEMAP_NAME_THRESHOLD is above LINEMAP_MATCH_THRESHOLD: a record holding only a"
                " name would need more than any other pair to join someone; lower the first"
            )
        return made


def _probability(variable: str, text: str) -> float:
    """Read a probability from an environment variable, or say what is wrong with it."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value < 1.0:
        raise ConfigurationError(f"{variable} must be a number between 0 and 1, such as 0.95")
    return value
