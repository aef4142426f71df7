"""Serve the workspace on a simulated region of about 100,000 people and measure search and
person-profile latency under concurrent signed-in users, audit on, on SQLite and PostgreSQL.

Target (issue 4): p95 of person profile and of search at or under 150 ms with 100,000 people
and 20 concurrent users, audit on, on SQLite and on PostgreSQL.

What it does, per backend:
  1. simulate a region (`--records`, default 110,000 exported records: about 110,000 Person
     entities) once, and load it with load_region (the real ingest and search-index refresh);
     on PostgreSQL, ANALYZE after the last file and after the load (the state autovacuum
     reaches soon after a load); then resolve who is who (`linemap resolve`), so that a
     profile is a person assembled across agencies, as in a workspace in use (not with
     `--no-resolve`);
  2. create one account per user in 16 agencies and two information sharing agreements, so
     most reads cross agencies under an ISA and some are refused (discovery);
  3. serve `create_app(Settings(...))` under uvicorn in a child process on a free port, as
     `linemap serve` does (one process);
  4. sign every user in over HTTP and run them concurrently: a search for a name from the data
     (sometimes with a year of birth or a postcode district), then the profile of a person
     hit, each user pausing `--think` seconds between requests (on average: 0.5 to 1.5 times
     it; 5 s by default); warm up first;
  5. print per endpoint the count, throughput, p50/p95/p99/max in ms and the audit events
     written, then drop the database and the temporary files.

Usage: python benchmarks/workspace_latency.py [--backend sqlite|postgresql|both]
       [--records N] [--users 20] [--seconds 60] [--requests N] [--warmup 200] [--think S]
       [--postgres-url URL] [--database-url URL] [--keep] [--no-resolve]

"20 concurrent users" is read as 20 people signed in and working at once, each reading what
they asked for before the next request. `--think 0` measures saturation instead (every user
sends the next request the moment the last one answers), which says how many requests a second
one process serves: by Little's law the latency is then about users / throughput, so 20
users with no pause would need over 130 requests a second for even a mean of 150 ms.

`--database-url` measures an already loaded database instead of building one (accounts and
agreements named bench-* are added to it). `--keep` keeps the databases it builds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import psycopg
from sqlalchemy import bindparam, make_url, text

from linemap.services import database, directory, sharing
from linemap.services.region import load_region, read_manifest, simulate_region
from linemap.services.resolution import run_resolution
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork

TARGET_MS = 150.0
PURPOSE = "strategy discussion"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

# (agency, role) of the users, in the order they are created; --users takes the first N and
# wraps round. Police, children's services, schools, health, probation and youth justice work
# under one regional ISA; housing and the voluntary sector under a narrower one.
USERS = (
    ("KENT-POLICE", "analyst"),
    ("MPS", "police_intelligence"),
    ("KENT-CSC", "practitioner"),
    ("ESSEX-POLICE", "analyst"),
    ("BRENT-CSC", "practitioner"),
    ("KENT-EDU", "practitioner"),
    ("NHS-SE", "practitioner"),
    ("YJS-KENT", "practitioner"),
    ("THANET-HOUSING", "practitioner"),
    ("COASTWATCH", "community_partner"),
    ("MPS", "analyst"),
    ("KENT-CSC", "mace_chair"),
    ("ISLINGTON-EDU", "practitioner"),
    ("NHS-LDN", "practitioner"),
    ("PROBATION-LSE", "practitioner"),
    ("YJS-BRENT", "practitioner"),
    ("KENT-POLICE", "police_intelligence"),
    ("SOUTHEND-HOUSING", "practitioner"),
    ("DRUG-SERVICE", "practitioner"),
    ("BRENT-CSC", "mace_chair"),
)
STATUTORY = [
    "MPS",
    "KENT-POLICE",
    "ESSEX-POLICE",
    "BRENT-CSC",
    "KENT-CSC",
    "ISLINGTON-EDU",
    "KENT-EDU",
    "NHS-LDN",
    "NHS-SE",
    "PROBATION-LSE",
    "YJS-BRENT",
    "YJS-KENT",
]
COMMUNITY = ["THANET-HOUSING", "SOUTHEND-HOUSING", "COASTWATCH", "DRUG-SERVICE", "KENT-CSC"]
ALL_KINDS = [
    "ae-assault",
    "community-concern",
    "custody-arrest",
    "housing-asb-cuckooing",
    "mace-tracker",
    "missing-episode",
    "person-register",
    "police-intelligence",
    "probation-caseload",
    "school-attendance",
    "social-care-case",
    "social-care-referral",
    "stop-search",
    "youth-justice-caseload",
]


@dataclass
class Target:
    """A database to measure, and how to get rid of it afterwards."""

    backend: str
    url: str
    admin_url: str | None = None  # PostgreSQL: where to DROP DATABASE from
    built: bool = True


@dataclass
class Timings:
    """Latencies (seconds) and statuses per endpoint."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {"search": [], "profile": []})
    errors: dict[str, int] = field(default_factory=dict)
    hits: int = 0
    searches_without_person_hit: int = 0


# ---------------------------------------------------------------------------------- building


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def create_postgres(base: str) -> Target:
    """Create a fresh PostgreSQL database for the run."""
    name = f"linemap_latency_{uuid.uuid4().hex[:8]}"
    admin = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    return Target("postgresql", url, admin)


def drop(target: Target) -> None:
    """Drop a PostgreSQL database this run created (SQLite files go with the temp folder)."""
    if target.admin_url and target.built:
        name = make_url(target.url).database
        with psycopg.connect(target.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(target: Target, region: Path, resolve: bool) -> None:
    """Migrate and load the region and resolve who is who (as a workspace in use has); on
    PostgreSQL, ANALYZE after the last file (as autovacuum would) and at the end."""
    uow = UnitOfWork.from_url(target.url)
    files = len(read_manifest(region)["files"])
    done: list[str] = []

    def on_file(path: str, _summary: object) -> None:
        done.append(path)
        if target.backend == "postgresql" and len(done) == files:
            analyze(uow)

    try:
        database.initialise(uow)
        started = time.perf_counter()
        summary = load_region(
            uow, Settings(database_url=target.url, actor="bench"), region, on_file
        )
        print(
            f"  loaded {summary.accepted:,} rows ({summary.rejected:,} quarantined) "
            f"in {time.perf_counter() - started:.0f} s"
        )
        if resolve:
            started = time.perf_counter()
            run = run_resolution(uow, Settings(database_url=target.url, actor="bench"))
            print(
                f"  resolved {run.mentions:,} person mentions into {run.people:,} people"
                f" in {time.perf_counter() - started:.0f} s"
            )
        if target.backend == "postgresql":
            analyze(uow)
    finally:
        uow.dispose()


def analyze(uow: UnitOfWork) -> None:
    """Gather planner statistics on PostgreSQL (autovacuum is off on some servers)."""
    with uow.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


def count_people(uow: UnitOfWork) -> tuple[int, int, int, int]:
    """Return Person entities, those with an indexed name, source records and statements."""
    with uow.read() as tx:
        c = tx.connection
        people = c.execute(
            text(
                "SELECT count(*) FROM (SELECT DISTINCT source_record_id, entity_key "
                "FROM statement WHERE schema = 'Person') AS p"
            )
        ).scalar_one()
        named = c.execute(
            text("SELECT count(DISTINCT entity_id) FROM search_term WHERE field = 'name'")
        ).scalar_one()
        records = tx.records.count("source_record")
        statements = tx.records.count("statement")
    return int(people), int(named), records, statements


def make_accounts(uow: UnitOfWork, users: int, run: str) -> list[tuple[str, str]]:
    """Create the users and the two ISAs they read under; return (username, password)."""
    today = date.today()
    made = []
    for n in range(users):
        agency, role = USERS[n % len(USERS)]
        username = f"bench-{run}-{n:02d}"
        password = secrets.token_urlsafe(12)
        directory.add_user(uow, "bench", username, agency, role, password)
        made.append((username, password))
    for code, parties, roles, kinds, tlp in (
        (
            f"ISA-BENCH-{run}-REGION",
            STATUTORY,
            ["analyst", "practitioner", "mace_chair", "police_intelligence"],
            ALL_KINDS,
            "amber",
        ),
        (
            f"ISA-BENCH-{run}-COMMUNITY",
            COMMUNITY,
            ["practitioner", "community_partner"],
            ["housing-asb-cuckooing", "community-concern", "missing-episode"],
            "green",
        ),
    ):
        sharing.add_isa(
            uow,
            None,
            code=code,
            purpose="Benchmark: partners safeguarding children from criminal exploitation",
            lawful_basis="DPA 2018 s.35 and Sch 8 para 4 (safeguarding)",
            parties=parties,
            roles=roles,
            record_kinds=kinds,
            start=today - timedelta(days=30),
            end=today + timedelta(days=30),
            max_tlp=tlp,
            actor_name="bench",
        )
    return made


def make_queries(uow: UnitOfWork, count: int, seed: int) -> list[str]:
    """Return search strings built from named people in the data: "forename surname", with a
    year of birth or the district of an address in the same record now and then."""
    rng = random.Random(seed)
    with uow.read() as tx:
        c = tx.connection
        ids = c.execute(
            text(
                "SELECT DISTINCT entity_id FROM search_term WHERE field = 'name' ORDER BY entity_id"
            )
        ).scalars()
        population = list(ids)
        chosen = rng.sample(population, min(count, len(population)))
        terms: dict[str, dict[str, list[str]]] = {e: {} for e in chosen}
        records: dict[str, int] = {}
        for start in range(0, len(chosen), 500):
            chunk = chosen[start : start + 500]
            rows = c.execute(
                text(
                    "SELECT entity_id, record_id, field, term FROM search_term "
                    "WHERE entity_id IN :ids AND field IN ('name', 'dob')"
                ).bindparams(bindparam("ids", expanding=True)),
                {"ids": chunk},
            )
            for r in rows:
                terms[r.entity_id].setdefault(r.field, []).append(r.term)
                records[r.entity_id] = r.record_id
        districts: dict[int, str] = {}
        record_ids = sorted(set(records.values()))
        for start in range(0, len(record_ids), 500):
            rows = c.execute(
                text(
                    "SELECT record_id, term FROM search_term "
                    "WHERE record_id IN :ids AND field = 'district'"
                ).bindparams(bindparam("ids", expanding=True)),
                {"ids": record_ids[start : start + 500]},
            )
            for r in rows:
                districts.setdefault(r.record_id, r.term)
    queries = []
    for entity_id in chosen:
        names = list(dict.fromkeys(terms[entity_id].get("name", [])))[:2]
        if not names:
            continue
        query = " ".join(names)
        dob = terms[entity_id].get("dob")
        district = districts.get(records[entity_id])
        roll = rng.random()
        if roll < 0.25 and dob:
            query += f" {dob[0][:4]}"
        elif roll < 0.5 and district:
            query += f" {district.upper()}"
        queries.append(query)
    return queries


def audit_seq(url: str) -> int:
    """Return the sequence number of the newest audit event."""
    uow = UnitOfWork.from_url(url)
    try:
        with uow.read() as tx:
            head = tx.audit.head()
        return head[0] if head else 0
    finally:
        uow.dispose()


# ---------------------------------------------------------------------------------- serving


def serve(url: str, port: int) -> None:
    """Child process: serve the workspace as `linemap serve` does."""
    import uvicorn

    from linemap.web.app import create_app

    app = create_app(Settings(database_url=url, secure_cookies=False))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", proxy_headers=False)


def start_server(url: str) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server in a child process and wait until it answers."""
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", url, "--port", str(port)],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"the server exited with status {child.returncode}")
        try:
            if httpx.get(f"{base}/api/v1/openapi.json", timeout=2).status_code == 200:
                return child, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    child.terminate()
    raise SystemExit("the server did not answer within 60 s")


def stop_server(child: subprocess.Popen[bytes]) -> None:
    """Stop the server child (this process started it)."""
    child.terminate()
    try:
        child.wait(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


# ---------------------------------------------------------------------------------- driving


async def user_loop(
    client: httpx.AsyncClient,
    queries: list[str],
    rng: random.Random,
    state: dict[str, float | int | bool],
    timings: Timings,
    think: float,
) -> None:
    """One user: search, open a person from the hits, again, until told to stop."""

    async def timed(endpoint: str, path: str, params: dict[str, str]) -> httpx.Response | None:
        started = time.perf_counter()
        response = await client.get(path, params=params)
        elapsed = time.perf_counter() - started
        if state["measuring"]:
            timings.latencies[endpoint].append(elapsed)
            state["recorded"] = int(state["recorded"]) + 1
        else:
            state["warm"] = int(state["warm"]) + 1
        if response.status_code != 200:
            key = f"{endpoint} {response.status_code}"
            timings.errors[key] = timings.errors.get(key, 0) + 1
            return None
        return response

    while not state["stop"]:
        found = await timed(
            "search", "/api/v1/search", {"q": rng.choice(queries), "purpose": PURPOSE}
        )
        if think:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
        if found is None or state["stop"]:
            continue
        people = [h["id"] for h in found.json()["hits"] if h["schema"] == "Person"]
        if state["measuring"]:
            timings.hits += len(found.json()["hits"])
            timings.searches_without_person_hit += not people
        if not people:
            continue
        entity = rng.choice(people)
        await timed("profile", f"/api/v1/people/{quote(entity, safe='')}", {"purpose": PURPOSE})
        if think:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)


async def drive(
    base: str,
    accounts: list[tuple[str, str]],
    queries: list[str],
    args: argparse.Namespace,
    on_measure: Callable[[], None],
) -> tuple[Timings, float]:
    """Sign everyone in, warm up, measure; return the timings and the measured seconds."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(base_url=base, timeout=120, limits=limits) for _ in accounts]
    timings = Timings()
    state: dict[str, float | int | bool] = {
        "stop": False,
        "measuring": False,
        "warm": 0,
        "recorded": 0,
    }
    try:
        for client, (username, password) in zip(clients, accounts, strict=True):
            response = await client.post(
                "/api/v1/session", json={"username": username, "password": password}
            )
            response.raise_for_status()
        tasks = [
            asyncio.create_task(
                user_loop(
                    client, queries, random.Random(args.seed * 1000 + n), state, timings, args.think
                )
            )
            for n, client in enumerate(clients)
        ]
        while int(state["warm"]) < args.warmup:
            await _pause(tasks)
        on_measure()
        state["measuring"] = True
        started = time.perf_counter()
        while time.perf_counter() - started < args.seconds and (
            not args.requests or int(state["recorded"]) < args.requests
        ):
            await _pause(tasks)
        state["measuring"] = False
        seconds = time.perf_counter() - started
        state["stop"] = True
        await asyncio.gather(*tasks)
        return timings, seconds
    finally:
        for client in clients:
            await client.aclose()


async def _pause(tasks: list[asyncio.Task[None]]) -> None:
    """Wait a moment; stop the run if a user's loop failed (the server went away, say)."""
    await asyncio.sleep(0.05)
    for task in tasks:
        if task.done() and task.exception():
            raise SystemExit(f"a user stopped: {task.exception()!r}")


def percentile(values: list[float], p: float) -> float:
    """Return the nearest-rank percentile of `values` in milliseconds."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1] * 1000


def report(timings: Timings, seconds: float, events: int) -> bool:
    """Print the figures; return whether both endpoints meet the target."""
    met = True
    total = sum(len(v) for v in timings.latencies.values())
    print(f"  measured {seconds:.1f} s: {total:,} requests, {total / seconds:.1f} requests/s")
    for endpoint, values in timings.latencies.items():
        if not values:
            print(f"  {endpoint:8s} no requests")
            met = False
            continue
        p95 = percentile(values, 95)
        met &= p95 <= TARGET_MS
        print(
            f"  {endpoint:8s} n={len(values):6,}  {len(values) / seconds:6.1f}/s  "
            f"p50 {percentile(values, 50):7.1f} ms  p95 {p95:7.1f} ms  "
            f"p99 {percentile(values, 99):7.1f} ms  max {max(values) * 1000:7.1f} ms  "
            f"{'meets' if p95 <= TARGET_MS else 'MISSES'} p95 <= {TARGET_MS:.0f} ms"
        )
    searches = len(timings.latencies["search"])
    if searches:
        print(
            f"  hits per search {timings.hits / searches:.1f}; "
            f"searches without a person hit {timings.searches_without_person_hit:,}"
        )
    print(
        f"  audit events written while measuring: {events:,} "
        f"({events / max(total, 1):.1f} per request)"
    )
    if timings.errors:
        print(f"  non-200 responses: {dict(sorted(timings.errors.items()))}")
    return met


def measure(target: Target, region: Path | None, args: argparse.Namespace) -> bool:
    """Build (unless given), add accounts, serve, drive, print; return whether the target is met."""
    print(f"\n{target.backend}: {make_url(target.url).render_as_string(hide_password=True)}")
    if target.built:
        assert region is not None
        build(target, region, not args.no_resolve)
    uow = UnitOfWork.from_url(target.url)
    try:
        started = time.perf_counter()
        people, named, records, statements = count_people(uow)
        print(
            f"  data: {people:,} Person entities ({named:,} with a name), {records:,} source "
            f"records, {statements:,} statements (counted in {time.perf_counter() - started:.1f} s)"
        )
        run = uuid.uuid4().hex[:6]
        accounts = make_accounts(uow, args.users, run)
        queries = make_queries(uow, 5_000, args.seed)
    finally:
        uow.dispose()
    agencies = {USERS[n % len(USERS)][0] for n in range(args.users)}
    print(
        f"  {len(accounts)} users in {len(agencies)} agencies, 2 ISAs, "
        f"{len(queries):,} distinct searches"
    )
    child, base = start_server(target.url)
    try:
        before: list[int] = []
        timings, seconds = asyncio.run(
            drive(base, accounts, queries, args, lambda: before.append(audit_seq(target.url)))
        )
        events = audit_seq(target.url) - before[0]
    finally:
        stop_server(child)
    return report(timings, seconds, events)


# ---------------------------------------------------------------------------------- main


def main() -> None:
    """Build the databases, measure each, print the figures, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--records", type=int, default=110_000, help="records in the region")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--users", type=int, default=20, help="concurrent signed-in users")
    parser.add_argument("--seconds", type=float, default=60, help="how long to measure")
    parser.add_argument("--requests", type=int, default=0, help="stop after this many, if sooner")
    parser.add_argument("--warmup", type=int, default=200, help="requests before measuring")
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds between requests")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("LINEMAP_TEST_DATABASE_URL", DEFAULT_POSTGRES),
        help="server on which to create (and drop) a fresh database",
    )
    parser.add_argument("--database-url", help="measure this loaded database; build none")
    parser.add_argument("--keep", action="store_true", help="keep the databases built")
    parser.add_argument(
        "--no-resolve", action="store_true", help="measure without a resolution run"
    )
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    began = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="linemap-latency-"))
    targets: list[Target] = []
    results = {}
    try:
        region = None
        if args.database_url:
            backend = make_url(args.database_url).get_backend_name()
            targets.append(Target(backend, args.database_url, built=False))
        else:
            region = tmp / "region"
            started = time.perf_counter()
            simulated = simulate_region(region, args.seed, records=args.records)
            print(
                f"region: {simulated.records:,} records in {simulated.files} files from "
                f"{simulated.agencies} agencies, simulated in {time.perf_counter() - started:.0f} s"
            )
            if args.backend in ("sqlite", "both"):
                folder = Path(tempfile.mkdtemp(prefix="linemap-latency-db-")) if args.keep else tmp
                targets.append(Target("sqlite", f"sqlite:///{folder / 'latency.db'}"))
            if args.backend in ("postgresql", "both"):
                targets.append(create_postgres(args.postgres_url))
        for target in targets:
            results[target.backend] = measure(target, region, args)
            if region is not None and target.backend == "sqlite" and not args.keep:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{tmp / 'latency.db'}{suffix}").unlink(missing_ok=True)
    finally:
        if args.keep:
            for target in targets:
                print(f"kept: {target.url}")
        else:
            for target in targets:
                drop(target)
        shutil.rmtree(tmp, ignore_errors=True)
    verdicts = ", ".join(f"{b} {'meets' if ok else 'MISSES'}" for b, ok in results.items())
    print(
        f"\nwhole run {time.perf_counter() - began:.0f} s; "
        f"target p95 <= {TARGET_MS:.0f} ms: {verdicts}"
    )


if __name__ == "__main__":
    main()
