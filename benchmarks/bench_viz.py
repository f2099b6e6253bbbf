"""Speed targets of the browser view (issue 6), measured in a real browser.

    python benchmarks/bench_viz.py [--scale 20] [--steps 20]

1. Opening the page to a drawn map (target < 5 s, warm numba cache): median of 3 page
   loads on a running server (the first load, which imports the model, is shown apart).
2. One step of the default scenario including the redraw (target < 300 ms): median over
   ``--steps`` clicks on "Step 1 month", from the click until the map canvas is redrawn.
3. The server-side share of a step (model + baseline step, map layer, agent points,
   indicator cards), without a browser.

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

from simulation.viz import mapdata, panels, server  # noqa: E402
from simulation.viz.session import Session, Settings  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def server_side(scale: int, steps: int) -> dict[str, float]:
    session = Session(Settings.from_preset("blitar", scale=scale))
    times: dict[str, list[float]] = {"step": [], "layer": [], "points": [], "cards": []}
    for _ in range(steps):
        t0 = time.perf_counter()
        session.step(1)
        t1 = time.perf_counter()
        mapdata.layer_image(session.model, "air")
        t2 = time.perf_counter()
        mapdata.firm_points(session.model)
        mapdata.household_points(session.model)
        t3 = time.perf_counter()
        for pillar in ("economy", "environment", "social"):
            panels.pillar_cards(session, pillar, "id")
        t4 = time.perf_counter()
        for key, dt in zip(times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            times[key].append(dt)
    return {f"{k}_ms": round(1000 * statistics.median(v), 2) for k, v in times.items()}


def in_browser(steps: int) -> dict[str, object]:
    """Page load and step timings of the default page (scenario blitar, scale 20)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import click_until_month, open_app

    proc, url = server.start(log=Path("/tmp/bench_viz_server.log"))
    try:
        server.wait_ready(proc, url, timeout=90)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1100})
            first = open_app(page, url)
            loads = [open_app(page, url) for _ in range(3)]
            step_times = [click_until_month(page, "btn-step", i + 1) for i in range(steps)]
            browser.close()
    finally:
        server.stop(proc)
    return {"first_load_s": round(first, 3), "open_to_map_s": round(statistics.median(loads), 3),
            "step_redraw_ms_median": round(1000 * statistics.median(step_times), 1),
            "step_redraw_ms_max": round(1000 * max(step_times), 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=20, help="server-side part only (default 20)")
    ap.add_argument("--steps", type=int, default=20)
    args = ap.parse_args()
    out: dict[str, object] = {"server_side": server_side(args.scale, args.steps)}
    if CHROMIUM.exists():
        out["browser_default_scale_20"] = in_browser(args.steps)
    else:
        out["browser"] = "skipped: /usr/bin/chromium missing (apt-get install chromium)"
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
