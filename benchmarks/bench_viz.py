"""Speed targets of the browser view (issue 13), measured in a real browser.

    python benchmarks/bench_viz.py [--loads 5] [--steps 20] [--play 15] [--seeds 8]

1. Page open to drawn map on a running server, desktop (1600 x 1100) and phone (390 x 844)
   viewports: median of ``--loads`` page loads (targets < 2 s and < 4 s), timed by the
   page's own clock from navigation start to the map's first picture
   (``open_to_map_*``); the same seen by the test driver (``*_driver``, which also waits
   for the page to be idle enough to notice) and until the policy levers, built just after
   the map, are there (``open_to_levers_*``). The first load after the server is ready is
   shown apart (``first_load_s``; the server builds the default run before it answers).
2. Step + redraw at the default scale (full scale): median over ``--steps`` clicks on
   "Maju 1 bulan", timed inside the page from the click until map and charts show the new
   month (target < 150 ms), once the noise bands are computed (steady state).
3. Five tabs playing at once: months/s of each tab against one tab playing alone, at
   the requested speed of 12 months/s for ``--play`` seconds (target: each >= half its
   solo speed, or the page says the server is busy).
4. The server-side share of a step without a browser: model step and the live content.

Uses Debian's chromium (/usr/bin/chromium) through Playwright and starts ``solara run`` on
a free loopback port, stopped at the end. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulation.viz import ensemble as ens  # noqa: E402
from simulation.viz import live, server  # noqa: E402
from simulation.viz.session import Session, Settings  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"viewport": {"width": 1600, "height": 1100}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}


def _ms(xs: list[float]) -> float:
    return round(1000 * statistics.median(xs), 1)


def server_side(steps: int) -> dict[str, float]:
    """Model step and live content of the default page, no browser (in-process runs)."""
    from concurrent.futures import ThreadPoolExecutor

    runner = ens.Ensembles(1, executor=lambda n: ThreadPoolExecutor(n))
    session = Session(Settings.from_preset("blitar"), ensembles=runner)
    runner.close()
    view = live.View("id")
    step, content = [], []
    for _ in range(steps):
        t0 = time.perf_counter()
        session.step(1)
        t1 = time.perf_counter()
        live.content(session.snapshot, view)
        step.append(t1 - t0)
        content.append(time.perf_counter() - t1)
    return {"model_step_ms": _ms(step), "live_content_ms": _ms(content)}


def _open(page: object, url: str) -> dict[str, float]:
    """Open the page: seconds to the map's first picture (page clock and test driver) and
    until the levers are built."""
    from tests.browser.helpers import LEVERS, open_app

    t0 = time.perf_counter()
    driver = open_app(page, url)  # returns once the levers are there too
    levers = time.perf_counter() - t0
    drawn_ms = page.get_attribute("canvas[data-testid=city-map]", "data-first-drawn-at")
    return {"map": float(drawn_ms) / 1000, "driver": driver, "levers": levers,
            "levers_present": page.locator(LEVERS).count() > 0}


def _month(page: object) -> int:
    return int(page.get_attribute("[data-testid=month-label]", "data-month"))


def _play(pages: list, seconds: float) -> list[dict[str, float]]:
    """Press Play on every page at once; months/s of each over ``seconds``."""
    for p in pages:
        p.locator("[data-testid=speed]").locator(
            "xpath=ancestor::div[contains(@class,'v-select__slot')]").click()
        p.get_by_role("option", name="12", exact=True).click()
    start = [_month(p) for p in pages]
    for p in pages:
        p.click("[data-testid=btn-play]")
    t0 = time.perf_counter()
    busy = [False] * len(pages)
    while time.perf_counter() - t0 < seconds:
        for i, p in enumerate(pages):
            busy[i] = busy[i] or p.locator("[data-testid=busy]").count() > 0
        time.sleep(0.5)
    end = [_month(p) for p in pages]
    elapsed = time.perf_counter() - t0
    for p in pages:
        p.click("[data-testid=btn-pause]")
    return [{"months_per_s": round((e - s) / elapsed, 2), "busy_notice": b}
            for s, e, b in zip(start, end, busy, strict=True)]


def in_browser(loads: int, steps: int, play: float, seeds: int) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import open_app, step_in_page, wait_bands

    out: dict[str, object] = {}
    proc, url = server.start(log=Path("/tmp/bench_viz_server.log"),
                             env={"BLITAR_VIZ_SEEDS": str(seeds)})
    try:
        server.wait_ready(proc, url, timeout=90)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            ctx = browser.new_context(**DESKTOP)
            page = ctx.new_page()
            first = _open(page, url)
            out["first_load_s"] = round(first["map"], 3)
            out["first_load_driver_s"] = round(first["driver"], 3)
            wait_bands(page, timeout_ms=900_000)  # the default ensembles, computed once
            for name, opts in (("desktop", DESKTOP), ("phone", PHONE)):
                c = browser.new_context(**opts)
                loads_seen = []
                for _ in range(loads):
                    pg = c.new_page()
                    time.sleep(3)  # a user opens the page on a quiet server
                    loads_seen.append(_open(pg, url))
                    pg.close()
                for key, label in (("map", "open_to_map"), ("driver", "open_to_map_driver"),
                                   ("levers", "open_to_levers")):
                    xs = [x[key] for x in loads_seen]
                    out[f"{label}_{name}_s"] = round(statistics.median(xs), 3)
                    out[f"{label}_{name}_all_s"] = [round(x, 2) for x in xs]
                out[f"levers_built_{name}"] = all(x["levers_present"] for x in loads_seen)
                c.close()
            step_times = [step_in_page(page, "btn-step", i + 1) for i in range(steps)]
            out["step_redraw_ms_median"] = _ms(step_times)
            out["step_redraw_ms_max"] = round(1000 * max(step_times), 1)
            page.click("[data-testid=btn-reset]")
            solo = _play([page], play)
            tabs = []
            for _ in range(5):
                c = browser.new_context(**DESKTOP)
                pg = c.new_page()
                open_app(pg, url)
                tabs.append(pg)
            five = _play(tabs, play)
            out["play_solo"] = solo[0]
            out["play_five_tabs"] = five
            rate = solo[0]["months_per_s"]
            out["five_tabs_each_at_least_half_solo"] = all(
                t["months_per_s"] >= 0.5 * rate for t in five)
            out["five_tabs_slow_ones_show_busy_notice"] = all(
                t["busy_notice"] for t in five if t["months_per_s"] < 0.5 * rate)
            browser.close()
    finally:
        server.stop(proc)
    out["targets_met"] = {
        "open_to_map_desktop_under_2s": out["open_to_map_desktop_s"] < 2.0,
        "open_to_map_phone_under_4s": out["open_to_map_phone_s"] < 4.0,
        "step_redraw_median_under_150ms": out["step_redraw_ms_median"] < 150.0,
        "five_tabs_half_solo_or_busy_notice": bool(
            out["five_tabs_each_at_least_half_solo"]
            or out["five_tabs_slow_ones_show_busy_notice"])}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--play", type=float, default=15.0, help="seconds of play per phase")
    ap.add_argument("--seeds", type=int, default=8, help="ensemble seeds (BLITAR_VIZ_SEEDS)")
    args = ap.parse_args()
    out: dict[str, object] = {"server_side_full_scale": server_side(args.steps)}
    if CHROMIUM.exists():
        out["browser_full_scale"] = in_browser(args.loads, args.steps, args.play, args.seeds)
    else:
        out["browser"] = "skipped: /usr/bin/chromium missing (apt-get install chromium)"
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
