"""Sessions, phone layout, noise bands and scheduled levers in a real browser."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS, NEEDS_CHROMIUM
from tests.browser.helpers import (
    MAP_DRAWN,
    TIMEOUT_MS,
    card,
    click_until_month,
    month,
    open_app,
    type_value,
    wait_bands,
)

pytestmark = NEEDS_CHROMIUM


def test_two_browser_contexts_stay_independent(browser: Browser, app_url: str) -> None:
    opts = {"viewport": {"width": 1600, "height": 1100}}
    a_ctx, b_ctx = browser.new_context(**opts), browser.new_context(**opts)
    try:
        a, b = a_ctx.new_page(), b_ctx.new_page()
        open_app(a, app_url)
        open_app(b, app_url)
        type_value(a, "emission_charge", "50.000")
        click_until_month(a, "btn-year", 12)
        # B sees none of A's changes: its lever, month and pending state are untouched
        b.wait_for_timeout(500)
        expect(b.locator("[data-testid=value-emission_charge]")).to_have_text("Rp 0 per kg")
        expect(b.locator("[data-testid=pending]")).to_have_count(0)
        assert month(b) == 0
        click_until_month(b, "btn-step", 1)
        assert month(a) == 12  # B's step did not move A
        click_until_month(b, "btn-year", 13)
        for p in (a, b):  # the baselines are computed in the background
            p.wait_for_function("() => !isNaN(+document.querySelector("
                                "'[data-testid=card-emissions_air]').dataset.delta)",
                                timeout=240_000)
        # B runs the default scenario, identical to the baseline; A's charge cuts emissions
        assert card(b, "emissions_air")[1] == 0
        assert card(a, "emissions_air")[1] < 0
        a.screenshot(path=ARTIFACTS / "08_context_a.png", full_page=True)
        b.screenshot(path=ARTIFACTS / "09_context_b.png", full_page=True)
    finally:
        a_ctx.close()
        b_ctx.close()


def test_phone_layout_menu_reachable_and_map_fits(browser: Browser, app_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True, device_scale_factor=2)
    try:
        page = ctx.new_page()
        page.goto(app_url, timeout=TIMEOUT_MS)
        page.wait_for_selector(MAP_DRAWN, timeout=TIMEOUT_MS)
        sidebar = page.locator("[data-testid=sidebar]")
        expect(sidebar).to_be_hidden()  # closed by default on a narrow screen
        button = page.locator("[data-testid=menu-btn]")
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] >= 0
        covering = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('[data-testid=menu-btn]')"
            " !== null", [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        assert covering, "the menu button is covered by something else"
        canvas = page.locator("canvas[data-testid=city-map]").bounding_box()
        assert canvas["x"] >= 0 and canvas["x"] + canvas["width"] <= 390 + 0.5, canvas
        page.screenshot(path=ARTIFACTS / "13_phone_closed.png")
        page.screenshot(path=ARTIFACTS / "14_phone_full.png", full_page=True)
        button.click()
        expect(sidebar).to_be_visible()
        sb = sidebar.bounding_box()
        assert sb["x"] + sb["width"] <= 390 + 0.5
        page.screenshot(path=ARTIFACTS / "15_phone_menu_open.png")
        page.locator("[data-testid=menu-close]").click()
        expect(sidebar).to_be_hidden()
        click_until_month(page, "btn-step", 1)
    finally:
        ctx.close()


def test_bands_and_noise_verdicts_are_shown(page: Page, app_url: str) -> None:
    """With a strong emission charge, the ensemble band is drawn and air emissions are
    marked as a real difference; the default run against itself is "sama persis"."""
    open_app(page, app_url)
    click_until_month(page, "btn-step", 1)
    wait_bands(page)
    assert card(page, "grdp")[2] == "identical"
    expect(page.locator("[data-testid=verdict-grdp]")).to_have_text("sama persis")
    type_value(page, "emission_charge", "100.000")
    click_until_month(page, "btn-year", 12)
    wait_bands(page)
    page.wait_for_timeout(500)
    value, delta, verdict = card(page, "emissions_air")
    assert delta < 0 and verdict == "distinguishable", (value, delta, verdict)
    expect(page.locator("[data-testid=verdict-emissions_air]")).to_have_text("beda nyata")
    bands = page.locator("canvas[data-key=emissions_air]").get_attribute("data-bands")
    assert int(bands) == 12, "the band covers every simulated month"
    # unemployment is a rate: its change is in percentage points
    expect(page.locator("[data-testid=card-unemployment_rate]")).to_contain_text("poin persen")
    page.locator("[data-testid=charts]").scroll_into_view_if_needed()
    page.locator("[data-testid=charts]").screenshot(path=ARTIFACTS / "16_charts_bands.png")
    page.locator("[data-testid=pillar-environment]").screenshot(
        path=ARTIFACTS / "17_cards_verdicts.png")


def test_schedule_moves_the_sliders_and_the_timeline(page: Page, app_url: str) -> None:
    """green_package raises the subsidy to 40 % and IKM coaching to 400 in 2026-01: the
    sliders follow the levers in force and the timeline marks the change."""
    open_app(page, app_url)
    page.locator("[data-testid=scenario-select]").locator(
        "xpath=ancestor::div[contains(@class,'v-select__slot')]").click()
    page.get_by_role("option", name="paket industri hijau").click()
    page.wait_for_function("() => document.querySelector('[data-testid=timeline]')"
                           ".innerText.includes('2026-01')", timeout=TIMEOUT_MS)
    value = page.locator("[data-testid=value-green_subsidy_share]")
    expect(value).to_have_text("0 % biaya")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("akan datang")
    click_until_month(page, "btn-year", 12)
    expect(value).to_have_text("0 % biaya")
    click_until_month(page, "btn-step", 13)  # January 2026
    expect(value).to_have_text("40 % biaya")
    expect(page.locator("[data-testid=value-workshop_slots_per_year]")).to_have_text(
        "400 IKM per tahun")
    expect(page.locator("[data-testid=history-green_subsidy_share]")).to_contain_text(
        "jadwal skenario")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("sudah berlaku")
    expect(page.locator("[data-testid=pending]")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "18_schedule_in_force.png")
