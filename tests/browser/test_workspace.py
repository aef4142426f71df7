"""The workspace in a real browser: sign in and out, search, profiles, intake, refusals.

Every page visited is checked for labelled controls, one <h1>, a <main> and lang="en-GB";
pages loaded afresh are also checked for the skip link being the first Tab stop.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    JORDAN,
    PASSWORD,
    POLICE_CONTACT,
    RILEY,
    check_accessible,
    sign_in,
    visit,
)
from tests.services.conftest import register_row, write_csv
from tests.web.conftest import phone_chart

SignIn = Callable[[str], None]


def test_sign_in_shows_the_dashboard(page: Page) -> None:
    visit(page, "/")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Username").fill("csc.worker")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("username or password is not right")
    check_accessible(page)
    page.get_by_label("Username").fill("csc.worker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator("header")).to_contain_text("csc.worker · practitioner · KENTCSC")
    visit(page, "/")
    expect(page.get_by_role("heading", name="Recently received by KENTCSC")).to_be_visible()


def test_search_finds_a_spelling_variant_and_opens_it(page: Page, signed_in: SignIn) -> None:
    signed_in("csc.worker")
    page.get_by_role("navigation").get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search people, phones and addresses")
    visit(page, "/search")
    page.get_by_label("Name, date of birth, postcode or phone").fill("Kasey Sampel")
    page.get_by_label("Purpose").fill("strategy discussion")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=2)).to_have_text("1 result")
    hit = page.get_by_role("link", name=re.compile(r"casey\s+sample", re.IGNORECASE))
    expect(page.locator(".hits li")).to_contain_text("KENTPOL · record")
    check_accessible(page)
    hit.click()
    expect(page).to_have_url(re.compile(r"/people/KENTPOL%3AP2%23person$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"casey\s+sample", re.IGNORECASE)
    )
    check_accessible(page)


def test_profile_shows_statements_with_their_provenance(page: Page, signed_in: SignIn) -> None:
    signed_in("csc.worker")
    visit(page, JORDAN)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"jordan\s+example", re.IGNORECASE)
    )
    main = page.get_by_role("main")
    expect(main.locator("p.provenance").first).to_contain_text(
        re.compile(r"From KENTPOL, record \d+ · seen under agreement ISA-CE")
    )
    recorded = page.get_by_role("region", name="What is recorded")
    birth = recorded.locator("dd", has_text="2009-04-03")
    expect(birth.locator(".provenance")).to_have_text(
        re.compile(r"^KENTPOL · 2025-01-10 · handling P · TLP:AMBER · other · fact")
    )
    expect(recorded.locator("dt")).to_contain_text(["Forename", "Surname", "Date of birth"])
    expect(page.get_by_role("region", name="Linked")).to_contain_text("1 Fictional Road, Margate")
    expect(page.get_by_role("region", name="Chronology")).to_contain_text("No events in view.")
    main.get_by_role("link", name=re.compile(r"^record \d+$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Record \d+$"))
    expect(main.locator("p.provenance").first).to_contain_text("KENTPOL · person-register")
    check_accessible(page)


def test_profile_shows_the_chronology(page: Page, signed_in: SignIn) -> None:
    signed_in("csc.worker")
    visit(page, RILEY)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"riley\s+quinn", re.IGNORECASE)
    )
    events = page.get_by_role("region", name="Chronology").get_by_role("listitem")
    expect(events).to_have_count(1)
    expect(events.locator("time")).to_have_text("2025-03-14")
    expect(events).to_contain_text("missing episode · KENTCSC: Left home after school")
    expect(page.get_by_role("region", name="Linked")).to_contain_text(
        "7 Fictional Terrace, Ramsgate"
    )


def test_intake_shows_why_a_row_was_quarantined(
    page: Page, signed_in: SignIn, tmp_path: Path
) -> None:
    upload = write_csv(
        tmp_path / "register.csv",
        [
            register_row("U1", forename="Robin", surname="Upload"),
            register_row("U2", forename="Ash", surname="Upload", postcode="NOT A CODE"),
        ],
    )
    signed_in("csc.worker")
    page.get_by_role("navigation").get_by_role("link", name="Intake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an export for KENTCSC")
    visit(page, "/intake")
    page.get_by_label("Kind of export (mapping)").select_option("person-register")
    page.get_by_label("File (CSV, XLSX or JSON Lines)").set_input_files(upload)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text(
        "1 accepted, 1 quarantined, 0 unchanged"
    )
    table = page.get_by_role("table", name="Quarantined rows and why")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("td")).to_have_text(["3", "postcode", re.compile("not a UK postcode")])
    expect(table).not_to_contain_text("NOT A CODE")  # reasons never echo the value
    check_accessible(page)
    page.get_by_role("navigation").get_by_role("link", name="Dashboard").click()
    recent = page.get_by_role("table", name="Recent imports").locator("tbody tr")
    expect(recent.filter(has_text="csc.worker").locator("td")).to_have_text(
        [
            re.compile(r"^\d+$"),
            "person-register",
            re.compile(r"^\d{4}-"),
            "csc.worker",
            "1",
            "1",
            "0",
        ]
    )


def test_outsider_sees_who_holds_information_but_not_the_record(
    page: Page, signed_in: SignIn
) -> None:
    signed_in("housing.officer")
    visit(page, "/search")
    page.get_by_label("Name, date of birth, postcode or phone").fill("Jordan Example")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=2)).to_have_text("0 results")
    note = page.get_by_role("note")
    expect(note).to_contain_text("Kent Police (KENTPOL) holds information that may be relevant.")
    expect(note).to_contain_text(f"Contact: {POLICE_CONTACT}.")
    expect(page.locator("main a[href^='/people/'], main a[href^='/records/']")).to_have_count(0)
    check_accessible(page)
    refused = visit(page, JORDAN)
    assert refused.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You may not open this")
    expect(page.get_by_role("alert")).to_contain_text(
        "Kent Police (KENTPOL) holds information here that you may not open"
    )
    expect(page.get_by_role("alert")).to_contain_text(f"Contact: {POLICE_CONTACT}.")
    expect(page.get_by_role("main")).not_to_contain_text(
        re.compile(r"jordan|fictional road|2009", re.IGNORECASE)
    )


def test_sign_out_ends_the_session(page: Page) -> None:
    sign_in(page, "csc.worker")
    cookies = page.context.cookies()
    assert [(c["name"], c["secure"], c["httpOnly"], c["sameSite"]) for c in cookies] == [
        ("__Host-linemap", True, True, "Strict")
    ]
    page.get_by_role("link", name="Search").click()  # a boosted page: nothing may stay behind
    expect(page.get_by_role("heading", level=1)).to_contain_text("Search")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert page.context.cookies() == []
    assert page.evaluate("window.localStorage.length + window.sessionStorage.length") == 0
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.context.add_cookies(cookies)  # the old token is dead on the server too
    page.goto(JORDAN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("main")).not_to_contain_text(re.compile("jordan", re.IGNORECASE))


@pytest.mark.parametrize(
    ("username", "link", "path", "heading", "shown"),
    [
        ("the.admin", "Administration", "/admin", "Administration", POLICE_CONTACT),
        ("pol.auditor", "Audit", "/audit", "Audit trail", "event(s), newest first"),
    ],
    ids=["administrator", "auditor"],
)
def test_administration_and_audit_pages(
    page: Page, signed_in: SignIn, username: str, link: str, path: str, heading: str, shown: str
) -> None:
    signed_in(username)
    page.get_by_role("navigation").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("main")).to_contain_text(shown)
    check_accessible(page)
    visit(page, path)


def test_the_link_chart_draws_a_node_and_opens_a_links_evidence(
    page: Page, signed_in: SignIn, workspace_database: str
) -> None:
    node, _ = phone_chart(workspace_database)
    signed_in("csc.worker")  # children's services, under the ISA with the police
    visit(page, f"/map/chart?focus=node:{node}&view=safeguarding")
    expect(page.locator("#chart canvas").first).to_be_attached()
    expect(page.locator("#chart-nodes tbody tr")).to_have_count(2)  # the phone and its user
    expect(page.locator("#chart-status")).to_contain_text("2 nodes, 1 links shown")
    expect(page.locator("#chart-nodes")).not_to_contain_text("Jordan")  # role and number only
    page.get_by_label("Kinds of link").select_option(label="Associates and family")
    page.get_by_role("button", name="Draw").click()
    expect(page.locator("#chart-status")).to_contain_text("nothing to draw")  # no such link
    page.get_by_label("Kinds of link").select_option(label="Phones and handsets")
    page.get_by_role("button", name="Draw").click()
    expect(page.locator("#chart-status")).to_contain_text("2 nodes, 1 links shown")
    page.locator("#chart-links").get_by_role("button", name="Evidence").click()
    expect(page.locator("#chart-evidence")).to_contain_text("KENTPOL record")
    visit(page, "/map")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deal lines")


def test_an_outsider_gets_no_chart(page: Page, signed_in: SignIn, workspace_database: str) -> None:
    node, _ = phone_chart(workspace_database)
    signed_in("housing.officer")
    visit(page, f"/map/chart?focus=node:{node}")
    expect(page.locator("#chart-status")).to_contain_text("nothing to draw")
    expect(page.locator("#chart-nodes tbody tr")).to_have_count(0)


def test_the_area_map_draws_its_base_map_offline(page: Page, signed_in: SignIn) -> None:
    signed_in("csc.worker")
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if "127.0.0.1" not in r.url else None)
    visit(page, "/map/areas")
    expect(page.locator("#areas-status")).to_contain_text("0 areas, 0 flows")
    expect(page.locator("#area-map path").first).to_be_attached()  # Natural Earth land
    assert [u for u in outside if not u.startswith("data:")] == []  # no map service called
