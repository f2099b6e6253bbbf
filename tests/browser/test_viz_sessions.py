"""Two browser contexts (two people) on one server keep independent runs."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser.conftest import ARTIFACTS, NEEDS_CHROMIUM
from tests.browser.helpers import card, click_until_month, month, open_app, set_slider

pytestmark = NEEDS_CHROMIUM


def test_two_browser_contexts_stay_independent(browser: Browser, app_url: str) -> None:
    opts = {"viewport": {"width": 1600, "height": 1100}}
    a_ctx, b_ctx = browser.new_context(**opts), browser.new_context(**opts)
    try:
        a, b = a_ctx.new_page(), b_ctx.new_page()
        open_app(a, app_url)
        open_app(b, app_url)
        set_slider(a, "emission_charge", 0.8)
        click_until_month(a, "btn-year", 12)
        # B sees none of A's changes: its lever, month and pending state are untouched
        b.wait_for_timeout(500)
        expect(b.locator("[data-testid=value-emission_charge]")).to_have_text("0")
        expect(b.locator("[data-testid=pending]")).to_have_count(0)
        assert month(b) == 0
        click_until_month(b, "btn-step", 1)
        assert month(a) == 12  # B's step did not move A
        click_until_month(b, "btn-year", 13)
        # B runs the default scenario, so it matches the baseline; A's charge cuts emissions
        assert card(b, "emissions_air")[1] == 0
        assert card(a, "emissions_air")[1] < 0
        a.screenshot(path=ARTIFACTS / "08_context_a.png", full_page=True)
        b.screenshot(path=ARTIFACTS / "09_context_b.png", full_page=True)
    finally:
        a_ctx.close()
        b_ctx.close()
