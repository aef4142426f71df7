"""`make demo`: simulate a small County Lines region, load it into a fresh SQLite database,
resolve who is who, map the networks, raise flags, score what linemap holds against the
region's truth, verify the audit trail, then open the workspace with one demo account per role
in several agencies, and say where to look.

Every person in the region is synthetic. `--no-serve` stops before serving (for CI and tests).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

from linemap import bootstrap
from linemap.cli.main import main
from linemap.services import directory, sharing
from linemap.settings import Settings

OUT = Path("demo-output")
REGION = OUT / "region"
DATABASE = f"sqlite:///{OUT / 'linemap.db'}"
HOST, PORT = "127.0.0.1", 8000

# One account per role, in four agencies of the simulated region.
ACCOUNTS = (
    ("kent.analyst", "KENT-POLICE", "analyst"),
    ("met.intelligence", "MPS", "police_intelligence"),
    ("kent.social.worker", "KENT-CSC", "practitioner"),
    ("kent.mace.chair", "KENT-CSC", "mace_chair"),
    ("coast.caseworker", "COASTWATCH", "community_partner"),
    ("kent.auditor", "KENT-POLICE", "auditor"),
    ("region.admin", "KENT-CSC", "administrator"),
)


def linemap(*args: str) -> None:
    """Run one `linemap` command as a user would type it, echoing it first."""
    print(f"\n$ linemap {' '.join(args)}", flush=True)
    try:
        main(["--db", DATABASE, *args])
    except SystemExit as done:
        if done.code:
            sys.exit(f"demo stopped: `linemap {' '.join(args)}` failed")


def make_accounts() -> list[tuple[str, str, str, str]]:
    """Create the demo accounts (fresh random passwords) and two sharing agreements."""
    uow = bootstrap.unit_of_work(Settings(database_url=DATABASE))
    made = []
    for username, agency, role in ACCOUNTS:
        password = secrets.token_urlsafe(12)
        directory.add_user(uow, "demo", username, agency, role, password)
        made.append((username, agency, role, password))
    today = date.today()
    sharing.add_isa(
        uow,
        None,
        code="ISA-KENT-CE",
        purpose="Kent partners safeguarding children from criminal exploitation",
        lawful_basis="DPA 2018 s.35 and Sch 8 para 4 (safeguarding); UK GDPR Art 6(1)(e)",
        parties=["KENT-POLICE", "KENT-CSC", "KENT-EDU", "YJS-KENT"],
        roles=["analyst", "practitioner", "mace_chair"],
        record_kinds=[
            "police-intelligence",
            "custody-arrest",
            "missing-episode",
            "social-care-case",
            "mace-tracker",
            "school-attendance",
            "youth-justice-caseload",
        ],
        start=today - timedelta(days=365),
        end=today + timedelta(days=365),
        actor_name="demo",
    )
    sharing.add_isa(
        uow,
        None,
        code="ISA-LINES-POLICE",
        purpose="Forces sharing intelligence on lines running from London into Kent",
        lawful_basis="DPA 2018 s.35, law enforcement purposes",
        parties=["MPS", "KENT-POLICE"],
        roles=["analyst", "police_intelligence"],
        record_kinds=["police-intelligence", "custody-arrest"],
        start=today - timedelta(days=365),
        end=today + timedelta(days=365),
        actor_name="demo",
    )
    uow.dispose()
    return made


def main_demo(serve: bool) -> None:
    """Run the demonstration end to end."""
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir()
    linemap("simulate", "--size", "small", "--seed", "7", "--out", str(REGION), "--load")
    linemap("agency", "list")
    linemap("resolve")
    linemap("map")
    linemap("assess")
    linemap("evaluate", "--truth", str(REGION / "truth.json"))
    accounts = make_accounts()
    linemap("isa", "list")
    linemap("audit", "verify")
    print("\nDone. Where to look:")
    print(f"  database        {OUT / 'linemap.db'}")
    print(f"  agency exports  {REGION}/  (each agency's file, as that agency would send it)")
    print(f"  ground truth    {REGION / 'truth.json'}; load plan {REGION / 'manifest.json'}")
    print(f"  quarantined     {REGION}/**/*.quarantine.csv  (row, column, reason)")
    print("  guides          docs/guides/getting-started.md, docs/guides/workspace.md")
    print("\nDemo accounts (synthetic data only; passwords are new on every run):")
    for username, agency, role, password in accounts:
        print(f"  {username:<20} {password:<18} {role} at {agency}")
    print("  Try: kent.social.worker searches 'Jordan'; coast.caseworker sees only who to ask;")
    print("       kent.analyst opens Review to judge who is who (keys y, n, u);")
    print("       met.intelligence opens Map: deal lines, a line's link chart, key players;")
    print("       kent.social.worker opens Safeguarding: flagged children waiting for a")
    print("       referral or a decision (docs/topics/safeguarding.md); anyone signed out sends")
    print("       a concern at /report, and kent.social.worker triages it under Community reports.")
    if serve:
        os.environ.setdefault("LINEMAP_COMMUNITY_REPORT_AGENCY", "KENT-CSC")  # the demo's team
        print(f"\nWorkspace: http://{HOST}:{PORT}/   (Ctrl-C stops it)", flush=True)
        linemap("serve", "--host", HOST, "--port", str(PORT))


if __name__ == "__main__":
    main_demo(serve="--no-serve" not in sys.argv[1:])
