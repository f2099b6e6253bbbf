"""Sessions, phone layout, noise bands and scheduled levers in a real browser."""

from __future__ import annotations

import io
import json
import math

import numpy as np
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS, NEEDS_CHROMIUM
from tests.browser.helpers import (
    MAP_DRAWN,
    TIMEOUT_MS,
    card,
    click_until_month,
    month,
    not_blank,
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


def _map_png(page: Page) -> bytes:
    """The map canvas, centred in the viewport (clear of the page's blue header bar)."""
    canvas = page.locator("canvas[data-testid=city-map]")
    canvas.evaluate("c => c.scrollIntoView({block: 'center'})")
    page.mouse.move(0, 0)  # no tooltip over the map
    page.wait_for_timeout(300)
    return canvas.screenshot()


def _blue_pixels(png: bytes) -> int:
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    return int(((b > r + 40) & (b > g)).sum())


def _kel_rows(page: Page) -> dict[str, dict[str, str]]:
    rows = page.locator("[data-testid=kel-row]")
    return {r.get_attribute("data-name"): {a: r.get_attribute(f"data-{a}")
                                           for a in ("value", "base", "diff", "verdict")}
            for r in (rows.nth(i) for i in range(rows.count()))}


def test_kelurahan_hover_table_and_choropleth_compare_with_the_baseline(
        page: Page, app_url: str) -> None:
    """Under a strong emission charge: hovering a kelurahan on the real outline shows its
    name and figures (scenario and baseline), the table lists all 21 kelurahan with this
    run's value, the baseline's and the mean difference with its verdict, and the map's
    kelurahan layer draws the values and then the differences."""
    open_app(page, app_url)
    type_value(page, "emission_charge", "100.000")
    click_until_month(page, "btn-year", 12)
    wait_bands(page)
    page.locator("label:text-is('Usaha industri')").click()  # no dots over the areas
    page.click("[data-testid=layer-kelurahan]")
    expect(page.locator("[data-testid=legend-kelurahan]")).to_have_attribute("data-mode",
                                                                             "value")
    canvas = page.locator("canvas[data-testid=city-map]")
    points = json.loads(canvas.get_attribute("data-kel-points"))
    assert len(points) == 21

    rows = _kel_rows(page)
    assert set(rows) == set(points), "the table lists every kelurahan on the map"
    for name, r in rows.items():
        assert math.isfinite(float(r["value"])) and math.isfinite(float(r["base"])), name
        assert r["verdict"] in ("distinguishable", "within_noise", "identical"), (name, r)
    real = {n: float(r["diff"]) for n, r in rows.items() if r["verdict"] == "distinguishable"}
    assert real and all(d < 0 for d in real.values()), "the charge lowers PM2.5 where real"
    assert any(float(r["value"]) != float(r["base"]) for r in rows.values())
    expect(page.locator("[data-testid=kel-summary]")).to_contain_text("berbeda nyata")

    name = "Pakunden"
    x, y = points[name]
    canvas.hover(position={"x": x, "y": y})
    tip = page.locator("[data-testid=map-tooltip]")
    expect(tip).to_have_attribute("data-kind", "kelurahan")
    lines = tip.inner_text().splitlines()
    assert lines[0].startswith(f"{name} · kecamatan "), lines
    value = f"{float(rows[name]['value']):.1f}".replace(".", ",")
    base = f"{float(rows[name]['base']):.1f}".replace(".", ",")
    assert lines[1].startswith(f"PM2,5 rata-rata wilayah: {value} µg/m³ (dasar {base};"), lines
    assert any(line.startswith("Penduduk: ") for line in lines), lines
    page.screenshot(path=ARTIFACTS / "20_kelurahan_hover.png")
    values_png = _map_png(page)
    assert not_blank(values_png)

    page.click("[data-testid=kel-mode-difference]")
    expect(page.locator("[data-testid=legend-kelurahan]")).to_have_attribute("data-mode",
                                                                             "difference")
    page.wait_for_timeout(800)
    diff_png = _map_png(page)
    (ARTIFACTS / "21_kelurahan_difference.png").write_bytes(diff_png)
    # real decreases are drawn blue (RdBu_r), the rest grey; the values (YlOrRd) have no
    # blue but the river's
    assert _blue_pixels(diff_png) > _blue_pixels(values_png) + 2000
    page.locator("[data-testid=kel-card]").screenshot(path=ARTIFACTS / "22_kelurahan_table.png")
