"""The page checks themselves: each catches what it looks for (so a pass means something)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.conftest import check_accessible, check_skip_link

GOOD = """<!doctype html><html lang="en-GB"><body>
<a href="#main">Skip to main content</a>
<main id="main" tabindex="-1"><h1>Title</h1>
<label for="q">Query</label><input id="q">
<label><input type="checkbox" name="c"> Wrapped</label>
<input type="hidden" name="csrf_token" value="x">
</main></body></html>"""
BAD = {
    "unlabelled input": GOOD.replace('<label for="q">Query</label>', ""),
    "empty label": GOOD.replace(">Query<", "><"),
    "unlabelled select": GOOD.replace("</main>", "<select></select></main>"),
    "unlabelled textarea": GOOD.replace("</main>", "<textarea></textarea></main>"),
    "duplicate id": GOOD.replace("<h1>", '<h1 id="q">'),
    "two h1": GOOD.replace("</main>", "<h1>Again</h1></main>"),
    "no h1": GOOD.replace("<h1>Title</h1>", "<p>Title</p>"),
    "no main": GOOD.replace("<main", "<div").replace("</main>", "</div>"),
    "wrong lang": GOOD.replace('lang="en-GB"', 'lang="en"'),
}


@pytest.fixture(scope="module")
def context(chromium: Browser) -> Iterator[BrowserContext]:
    made = chromium.new_context()
    yield made
    made.close()


@pytest.fixture
def blank(context: BrowserContext) -> Iterator[Page]:
    """Return a new page (a reused one keeps its focus position across set_content)."""
    made = context.new_page()
    yield made
    made.close()


def test_a_good_page_passes(blank: Page) -> None:
    blank.set_content(GOOD)
    check_accessible(blank)
    check_skip_link(blank)


@pytest.mark.parametrize("html", BAD.values(), ids=BAD.keys())
def test_accessibility_check_catches(blank: Page, html: str) -> None:
    blank.set_content(html)
    with pytest.raises(AssertionError):
        check_accessible(blank)


def test_skip_link_check_catches_a_link_before_it(blank: Page) -> None:
    blank.set_content(GOOD.replace("<body>", '<body><a href="/">Home</a>'))
    with pytest.raises(AssertionError, match="reached 'Home'"):
        check_skip_link(blank)
