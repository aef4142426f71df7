"""Safeguarding in a real browser: a screener refers a flagged child to their home local
authority and the coverage dashboard updates (issue 7)."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessible, visit

SignIn = Callable[[str], None]
FLAG = "F1-1"


def test_a_screener_refers_a_flagged_child_and_the_dashboard_updates(
    page: Page, signed_in: SignIn
) -> None:
    signed_in("csc.worker")
    page.get_by_role("navigation").get_by_role("link", name="Safeguarding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguarding coverage")
    check_accessible(page)
    expect(page.locator("#count-identified")).to_have_text("1")
    expect(page.locator("#count-referred")).to_have_text("0")
    waiting = page.get_by_role("table", name="Flagged and waiting, children first")
    expect(waiting.get_by_role("row", name=FLAG)).to_contain_text("Child")
    waiting.get_by_role("link", name=FLAG).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Flag {FLAG}")
    expect(page.locator("#flag-status")).to_have_text("identified")
    check_accessible(page)
    referral = page.get_by_role("region", name="Referral to the home local authority")
    expect(referral.get_by_label("Home local authority")).to_have_value("Kent")
    referral.get_by_role("button", name="Refer", exact=True).click()
    expect(page.locator("#referral-state")).to_have_text("referred")
    expect(page.locator("#flag-status")).to_have_text("referred")
    expect(referral).to_contain_text("refer by csc.worker (practitioner)")
    visit(page, "/safeguarding")
    expect(page.locator("#count-referred")).to_have_text("1")
    expect(page.locator("#count-identified")).to_have_text("0")
    expect(page.get_by_text("Nobody flagged is waiting")).to_be_visible()
