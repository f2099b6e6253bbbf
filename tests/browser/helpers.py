"""Page helpers shared by the browser tests and benchmarks/bench_viz.py (selectors are
data-testid attributes)."""

from __future__ import annotations

import io
import re
import time

from playwright.sync_api import Page

TIMEOUT_MS = 60_000
MAP_DRAWN = "canvas[data-testid=city-map]:not([data-drawn='0'])"

# Click "step" inside the page and time, with the page's own clock, how long until the
# month label and then the map, the charts and the cards show the new month (no
# test-driver latency).
STEP_JS = """([testid, target]) => new Promise((resolve, reject) => {
  const q = s => document.querySelector(s);
  const label = () => +q('[data-testid=month-label]').dataset.month;
  const drawn = () => +q('canvas[data-testid=city-map]').dataset.drawn;
  const charts = () => +q('[data-testid=charts]').dataset.drawn;
  const cards = () => +q('.blitar-cards').dataset.month;
  const d0 = drawn(), c0 = charts(), t0 = performance.now();
  let tl = null, td = null, tc = null, tk = null;
  q('[data-testid=' + testid + ']').click();
  const poll = () => {
    const now = performance.now();
    if (tl === null && label() === target) tl = now - t0;
    if (tl !== null && td === null && drawn() > d0) td = now - t0;
    if (tl !== null && tc === null && charts() > c0) tc = now - t0;
    if (tl !== null && tk === null && cards() === target) tk = now - t0;
    if (tl !== null && td !== null && tc !== null && tk !== null)
      return resolve([tl, td, tc, tk]);
    if (now - t0 > 60000) return reject(new Error('no redraw within 60 s'));
    setTimeout(poll, 2);
  };
  poll();
})"""
LEVERS = "[data-testid=levers]"


def open_app(page: Page, url: str) -> float:
    """Open the page; return seconds until the map canvas has been drawn. Returns once the
    charts are drawn and the policy levers are built too (they come just after the map)."""
    t0 = time.perf_counter()
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_selector(MAP_DRAWN, timeout=TIMEOUT_MS)
    elapsed = time.perf_counter() - t0
    page.wait_for_selector("[data-testid=charts]:not([data-drawn='0'])", timeout=TIMEOUT_MS)
    page.wait_for_selector(LEVERS, state="attached", timeout=TIMEOUT_MS)
    return elapsed


def month(page: Page) -> int:
    return int(page.get_attribute("[data-testid=month-label]", "data-month"))


def map_draws(page: Page) -> int:
    return int(page.get_attribute("canvas[data-testid=city-map]", "data-drawn"))


def step_in_page(page: Page, testid: str, target: int) -> float:
    """Click a step button inside the page; seconds until the map, the charts and the
    cards show ``target``."""
    _, map_ms, charts_ms, cards_ms = page.evaluate(STEP_JS, [testid, target])
    return max(map_ms, charts_ms, cards_ms) / 1000.0


def click_until_month(page: Page, testid: str, target: int) -> float:
    """Click a button, wait until the run reaches ``target`` months and the map is redrawn;
    return the seconds from click to redraw (including the test driver's own latency)."""
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


def wait_bands(page: Page, timeout_ms: int = 240_000) -> None:
    """Wait until every ensemble run of scenario and baseline has been computed."""
    page.wait_for_function(
        """() => { const e = document.querySelector('[data-testid=band-progress]');
                   return e && +e.dataset.total > 0 && +e.dataset.done >= +e.dataset.total; }""",
        timeout=timeout_ms)


def card(page: Page, name: str) -> tuple[float, float, str]:
    """(value, change against baseline, noise verdict) of an indicator card."""
    el = page.locator(f"[data-testid=card-{name}]")
    return (float(el.get_attribute("data-value")), float(el.get_attribute("data-delta")),
            el.get_attribute("data-verdict"))


def type_value(page: Page, lever: str, text: str) -> None:
    """Type ``text`` into a lever's number box and confirm it (Enter)."""
    box = page.locator(f".typed-{lever} input").first
    box.scroll_into_view_if_needed()
    box.fill(text)
    box.press("Enter")


def set_slider(page: Page, lever: str, fraction: float) -> None:
    """Click a lever's slider track at ``fraction`` of its width."""
    slider = page.locator(f"[data-testid=lever-{lever}] .v-slider").first
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)


def words(text: str) -> list[str]:
    """Latin-letter words of a text, lower case (for the language scan)."""
    return [w.lower() for w in re.findall(r"[A-Za-z]+", text)]


def not_blank(png: bytes, min_colours: int = 20) -> bool:
    """True if an image has real content: many colours and spread in brightness."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20) or []
    lo, hi = img.convert("L").getextrema()
    return len(colours) >= min_colours and hi - lo > 60
