"""A community report in a real browser: sent without an account, triaged by the receiving team.

The seeded workspace has no voluntary agency, so its children's social care (KENTCSC) receives
community reports; Thanet Housing's practitioner is the outsider.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessible, visit

SignIn = Callable[[str], None]
REPORTER = "Robin Testreporter"


def _send_report(page: Page) -> str:
    """Fill in the public form as a member of the public would; return the reference shown."""
    visit(page, "/report")
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)  # no account, no menu
    seen = (datetime.now(UTC).date() - timedelta(days=2)).isoformat()
    page.get_by_label("What is happening? (needed)").fill(
        "A girl of about 12 is collected from the children's home by different cars every night."
    )
    page.get_by_label("Where? A street, a building or a landmark (needed)").fill(
        "Corner of Example Lane and Fictional Road, Ramsgate"
    )
    page.get_by_label("When did it happen? (optional)").fill(seen)
    page.get_by_label("Approximate age").fill("about 12")
    page.get_by_label("Your name").fill(REPORTER)
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your report has been received"
    )
    check_accessible(page)
    reference = page.locator("#reference").inner_text().strip()
    assert re.fullmatch(r"CR-[0-9A-Z]{4}-[0-9A-Z]{4}", reference), reference
    return reference


def test_a_community_report_is_submitted_without_an_account_and_appears_in_triage(
    page: Page, signed_in: SignIn
) -> None:
    reference = _send_report(page)
    signed_in("csc.worker")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Community reports"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Community reports for KENTCSC")
    visit(page, "/reports")
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Corner of Example Lane")
    row.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Community report {reference}")
    expect(page.get_by_role("region", name="Who reported it")).to_contain_text(REPORTER)
    check_accessible(page)
    page.get_by_label("Reason (recorded with the report)").fill("Passed to the MASH by phone.")
    page.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_role("status")).to_have_text(f"Report {reference} was triaged.")
    expect(page.get_by_role("link", name=reference)).to_have_count(0)  # left the new queue
    page.get_by_role("link", name="Dismissed").click()
    expect(page.get_by_role("row").filter(has_text=reference)).to_contain_text("csc.worker")


def test_another_agency_does_not_see_community_reports(page: Page, signed_in: SignIn) -> None:
    reference = _send_report(page)
    signed_in("housing.officer")
    response = page.goto("/reports")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("main")).to_contain_text("seen only by caseworkers of the team")
    expect(page.get_by_role("main")).not_to_contain_text(reference)
    response = page.goto(f"/reports/{reference}")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("main")).not_to_contain_text(REPORTER)
    check_accessible(page)
