"""MACE in a real browser: a chair creates a meeting, generates the police and the housing
attendees' packs, and the housing copy omits the police-only fields the police copy holds.

The workspace here is its own (agencies, police intelligence, an agreement for MACE and a small
map), served on its own port, so that nothing it adds changes what the other browser tests see.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect

from linemap.services import directory
from linemap.settings import Settings
from linemap.store.unit_of_work import UnitOfWork
from linemap.web.app import create_app
from tests.browser.conftest import PASSWORD, check_accessible, sign_in, visit
from tests.services.test_mace import BASIS, SUMMARY, add_map, ingest_intelligence

POLICE_ONLY = "grading 1AP"  # the 3x5x2 grade of the police report on the child


@pytest.fixture(scope="module")
def mace_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Seed and serve a workspace with a map to put on a MACE agenda; return its address."""
    folder = tmp_path_factory.mktemp("mace")
    url = f"sqlite:///{folder / 'linemap.db'}"
    uow = UnitOfWork.from_url(url)
    uow.migrate()
    for code, name, kind in (
        ("KENTPOL", "Kent Police", "police"),
        ("KENTCSC", "Kent Children's Services", "childrens_social_care"),
        ("THANETH", "Thanet Housing", "housing"),
    ):
        directory.add_agency(uow, "setup", code, name, kind, "Kent")
    directory.add_user(uow, "setup", "csc.chair", "KENTCSC", "mace_chair", PASSWORD)
    settings = Settings(database_url=url, actor="setup")
    ingest_intelligence(uow, settings, folder, datetime.now(UTC).date())  # the app's real clock
    add_map(uow)
    uow.dispose()
    app = create_app(Settings(database_url=url, actor="web"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the MACE workspace server did not start; see the captured log")
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(10)
    sock.close()
    app.state.workspace.uow.dispose()


@pytest.fixture
def mace_page(chromium: Browser, mace_url: str) -> Iterator[Page]:
    context = chromium.new_context(base_url=mace_url, locale="en-GB", accept_downloads=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _give_pack(page: Page, agency: str) -> None:
    """On the meeting page, give an attending agency its pack, shown as a page."""
    packs = page.get_by_role("region", name="Attendees' packs")
    packs.get_by_label("Attending agency").select_option(agency)
    packs.get_by_label("Lawful basis").fill(BASIS)
    packs.get_by_role("button", name="Show pack").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"MACE pack for {agency}")
    check_accessible(page)


def test_a_mace_chair_generates_a_pack_and_a_housing_attendees_copy_omits_police_only_fields(
    mace_page: Page, tmp_path: Path
) -> None:
    page = mace_page
    sign_in(page, "csc.chair")
    page.get_by_role("navigation").get_by_role("link", name="MACE").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MACE meetings")
    check_accessible(page)
    page.get_by_label("Area (local authority or area)").fill("Thanet")
    page.get_by_label("Kent Police (KENTPOL)").check()
    page.get_by_label("Thanet Housing (THANETH)").check()
    page.get_by_role("button", name="Create meeting and generate the agenda").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"MACE meeting \d+"))
    check_accessible(page)
    meeting = page.url
    visit(page, meeting)  # loaded afresh: the skip link is the first Tab stop
    victims = page.get_by_role("region", name="Victims")
    expect(victims.get_by_role("heading", name="Child at risk 0")).to_be_visible()

    _give_pack(page, "KENTPOL")
    child = page.locator('li.volt-item[data-subject="node:0"]')
    expect(child).to_contain_text(POLICE_ONLY)  # the police copy holds the police source details
    expect(child).to_contain_text(SUMMARY)
    expect(page.locator(".watermark")).to_contain_text(re.compile(r"linemap disclosure D-\d+"))

    page.goto(meeting)
    _give_pack(page, "THANETH")
    child = page.locator('li.volt-item[data-subject="node:0"]')
    expect(child).to_be_visible()  # the same child is on the housing copy, shared under the ISA
    expect(child.locator("li.record")).not_to_have_count(0)
    expect(child).not_to_contain_text(POLICE_ONLY)
    expect(child).not_to_contain_text(SUMMARY)
    expect(page.locator("main .grading, main .handling, main .summary")).to_have_count(0)

    page.goto(meeting)
    packs = page.get_by_role("region", name="Attendees' packs")
    packs.get_by_label("Attending agency").select_option("THANETH")
    packs.get_by_label("Lawful basis").fill(BASIS)
    with page.expect_download() as made:
        packs.get_by_role("button", name="Download pack").click()
    saved = tmp_path / made.value.suggested_filename
    made.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert re.search(r"linemap disclosure D-\d+ by csc\.chair", text)
    assert "Child at risk 0" in text
    assert "1AP" not in text
    assert SUMMARY not in text
