"""Browser tests: Debian's Chromium (headless, through Playwright) against a live workspace.

Each pytest worker seeds its own SQLite database, serves it with uvicorn on a free port of
127.0.0.1 and launches one Chromium; every test gets a fresh browser context (no cookies, no
storage). Session cookies keep their production settings (Secure, `__Host-` prefix): Chromium
treats http://127.0.0.1 as a secure context, so they travel over plain HTTP here.
"""

from __future__ import annotations

import csv
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Cookie, Page, Response, expect, sync_playwright

from linemap.intake.mapping import load_mapping
from linemap.services import directory, intake, network, search, sharing
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from linemap.web.app import create_app
from tests.services.conftest import register_row, write_csv
from tests.web.conftest import seed_flag, seed_resolution

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery staple"
ACCOUNTS = {
    "csc.worker": ("KENTCSC", "practitioner"),
    "housing.officer": ("THANETH", "practitioner"),
    "pol.auditor": ("KENTPOL", "auditor"),
    "the.admin": ("KENTCSC", "administrator"),
}
POLICE_CONTACT = "intel@kentpol.example"
JORDAN = "/people/KENTPOL%3AP1%23person"  # KENTPOL's person-register row P1
RILEY = "/people/KENTCSC%3AMFH-1%23child"  # KENTCSC's missing episode MFH-1
MISSING_EPISODE = {
    "Episode Ref": "MFH-1",
    "Reported Missing": "14/03/2025 19:30",
    "Child Name": "QUINN, Riley",
    "Date of Birth": "02/07/2010",
    "Gender": "Female",
    "Missing From Address": "7 Fictional Terrace, Ramsgate",
    "Missing From Postcode": "CT11 9AA",
    "Missing From Type": "Home",
    "Home Local Authority": "Kent",
    "Where Found": "Margate railway station",
    "Found Postcode": "CT9 5AD",
    "Found Location Type": "Transport hub",
    "Found Local Authority": "Kent",
    "Found Date/Time": "16/03/2025 08:10",
    "Circumstances": "Left home after school; phone switched off.",
    "Return Home Interview": "Completed 18/03/2025",
}
# Every form control has a label, the page one <h1> and a <main>, the document lang="en-GB".
ACCESSIBILITY_PROBE = """() => {
  const controls = [...document.querySelectorAll('input, select, textarea')]
    .filter((e) => e.type !== 'hidden');
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  return {
    unlabelled: controls
      .filter((e) => ![...(e.labels || [])].some((l) => l.textContent.trim()))
      .map((e) => e.outerHTML),
    duplicateIds: ids.filter((id, i) => ids.indexOf(id) !== i),
    h1: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main').length,
    lang: document.documentElement.getAttribute('lang'),
  };
}"""


def _write_rows(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def seed_workspace(database_url: str, folder: Path) -> None:
    """Fill a new database: three agencies, the accounts, police and care records, one ISA."""
    uow = UnitOfWork.from_url(database_url)
    uow.migrate()
    settings = Settings(database_url=database_url, actor="setup")
    directory.add_agency(uow, "setup", "KENTPOL", "Kent Police", "police", "Kent", POLICE_CONTACT)
    directory.add_agency(
        uow, "setup", "KENTCSC", "Kent Children's Services", "childrens_social_care", "Kent"
    )
    directory.add_agency(uow, "setup", "THANETH", "Thanet Housing", "housing", "Thanet")
    for username, (agency, role) in ACCOUNTS.items():
        directory.add_user(uow, "setup", username, agency, role, PASSWORD)
    rows = [
        register_row("P1"),
        register_row("P2", forename="Casey", surname="Sample", date_of_birth="2008", phone=""),
    ]
    intake.ingest(uow, settings, write_csv(folder / "reg.csv", rows), "KENTPOL", "person-register")
    episodes = _write_rows(
        folder / "missing.csv", load_mapping("missing-episode").columns, [MISSING_EPISODE]
    )
    intake.ingest(uow, settings, episodes, "KENTCSC", "missing-episode")
    search.refresh_index(uow)
    today = datetime.now(UTC).date()  # the app runs on the real clock
    sharing.add_isa(
        uow,
        None,
        code="ISA-CE",
        purpose="Safeguarding children from criminal exploitation",
        lawful_basis="DPA 2018 Sch 8 para 4",
        parties=["KENTPOL", "KENTCSC"],
        roles=["practitioner"],
        record_kinds=["person-register"],
        start=today - timedelta(days=30),
        end=today + timedelta(days=365),
    )
    seed_resolution(uow)  # who is who, then the map, so that the link chart has a snapshot
    network.build_snapshot(uow, settings, as_of=today)
    seed_flag(uow)  # a flagged child waiting for a decision
    uow.dispose()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Launch Debian's Chromium once per worker, or skip when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (`make setup` installs Debian's chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def workspace_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Seed the workspace's database and return its URL."""
    folder = tmp_path_factory.mktemp("browser")
    database_url = f"sqlite:///{folder / 'linemap.db'}"
    seed_workspace(database_url, folder)
    return database_url


@pytest.fixture(scope="session")
def workspace_url(workspace_database: str) -> Iterator[str]:
    """Serve the seeded workspace on a free port of 127.0.0.1 and return its address."""
    database_url = workspace_database
    app = create_app(Settings(database_url=database_url, actor="web"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the workspace server did not start; see the captured log")
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    sock.close()
    app.state.workspace.uow.dispose()


@pytest.fixture
def page(chromium: Browser, workspace_url: str) -> Iterator[Page]:
    """Return a page in a fresh browser context (its own cookies and storage)."""
    context = chromium.new_context(base_url=workspace_url, locale="en-GB")
    context.set_default_timeout(10_000)
    made = context.new_page()
    yield made
    context.close()


def check_accessible(page: Page) -> None:
    """Assert the basics on the page as shown: labels, one <h1>, a <main>, lang="en-GB"."""
    found = page.evaluate(ACCESSIBILITY_PROBE)
    where = page.url
    assert found["unlabelled"] == [], f"form controls without a label on {where}"
    assert found["duplicateIds"] == [], f"ids used twice on {where} (labels point at ids)"
    assert found["h1"] == 1, f"{found['h1']} <h1> on {where}"
    assert found["main"] == 1, f"{found['main']} <main> on {where}"
    assert found["lang"] == "en-GB", f"lang={found['lang']!r} on {where}"


def check_skip_link(page: Page) -> None:
    """Assert the first Tab reaches the skip link and that it moves focus to <main>."""
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content", f"the first Tab on {page.url} reached {focused!r}"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


def visit(page: Page, path: str) -> Response:
    """Load a page afresh and run the accessibility and keyboard checks on it."""
    response = page.goto(path)
    assert response is not None
    check_accessible(page)
    check_skip_link(page)
    return response


def sign_in(page: Page, username: str) -> None:
    """Sign in through the form and wait for the dashboard."""
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


@pytest.fixture(scope="session")
def session_cookies() -> dict[str, list[Cookie]]:
    """Hold each account's session cookie, signed in once per worker (argon2 is slow)."""
    return {}


@pytest.fixture
def signed_in(page: Page, session_cookies: dict[str, list[Cookie]]) -> Callable[[str], None]:
    """Return a function that puts the page on the dashboard of the named account.

    Only the cookie is carried over between tests, never local storage; tests that end a
    session sign in with `sign_in` so as not to end one another test relies on.
    """

    def as_user(username: str) -> None:
        cookies = session_cookies.get(username)
        if cookies is None:
            sign_in(page, username)
            session_cookies[username] = page.context.cookies()
            return
        page.context.add_cookies(cookies)  # type: ignore[arg-type]
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    return as_user
