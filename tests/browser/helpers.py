"""Page helpers shared by the browser tests (selectors are data-testid attributes)."""

from __future__ import annotations

import io
import time

from playwright.sync_api import Page

TIMEOUT_MS = 30_000


def open_app(page: Page, url: str) -> float:
    """Open the page; return seconds until the map canvas has been drawn."""
    t0 = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_selector("canvas[data-testid=city-map]:not([data-drawn='0'])",
                           timeout=TIMEOUT_MS)
    elapsed = time.perf_counter() - t0
    page.wait_for_selector("[data-testid=charts]:not([data-drawn='0'])", timeout=TIMEOUT_MS)
    return elapsed


def month(page: Page) -> int:
    return int(page.get_attribute("[data-testid=month-label]", "data-month"))


def map_draws(page: Page) -> int:
    return int(page.get_attribute("canvas[data-testid=city-map]", "data-drawn"))


def click_until_month(page: Page, testid: str, target: int) -> float:
    """Click a button, wait until the run reaches ``target`` months and the map is redrawn;
    return the seconds from click to redraw."""
    before = map_draws(page)
    t0 = time.perf_counter()
    page.click(f"[data-testid={testid}]")
    page.wait_for_function(
        """([m, d]) => {
            const l = document.querySelector('[data-testid=month-label]');
            const c = document.querySelector('canvas[data-testid=city-map]');
            return l && c && +l.dataset.month === m && +c.dataset.drawn > d; }""",
        arg=[target, before], timeout=TIMEOUT_MS)
    return time.perf_counter() - t0


def card(page: Page, name: str) -> tuple[float, float]:
    """(value, change against baseline) of an indicator card."""
    el = page.locator(f"[data-testid=card-{name}]")
    return float(el.get_attribute("data-value")), float(el.get_attribute("data-delta"))


def set_slider(page: Page, lever: str, fraction: float) -> None:
    """Click a lever's slider track at ``fraction`` of its width."""
    slider = page.locator(f"[data-testid=lever-{lever}] .v-slider").first
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)


def not_blank(png: bytes, min_colours: int = 20) -> bool:
    """True if an image has real content: many colours and spread in brightness."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20) or []
    lo, hi = img.convert("L").getextrema()
    return len(colours) >= min_colours and hi - lo > 60
