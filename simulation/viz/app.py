"""The Solara page: ``solara run simulation/viz/app.py`` (or ``blitar-sim viz``).

Every browser tab gets its own :class:`~simulation.viz.session.Session` (held in component
state, never at module level), so one person's levers never touch another's run. What is
shared by the server holds no one's settings: the ensemble runner (deterministic runs,
computed once) and spare month-0 models (each handed to exactly one tab).

Per step only the live part re-renders (:func:`LiveView`: month, cards, map, timeline,
charts); the header, controls and settings panel re-render when their own inputs change.
Every event handler turns errors into a message in the page (details in the server log).
"""

from __future__ import annotations

import collections
import logging
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import solara
import solara.lab

from simulation.viz import ensemble as ens
from simulation.viz import kelurahan as kv
from simulation.viz import levers as lv
from simulation.viz import warm
from simulation.viz.controls import Sidebar, guard
from simulation.viz.i18n import DEFAULT_LANG, number, t
from simulation.viz.live import LiveWidgets, View
from simulation.viz.session import Session, SessionError, Settings, want_ensembles

HERE = Path(__file__).parent
MAP_PX = 560
SPEEDS = (1, 2, 4, 6, 12, 24)
LAYERS = ("air", "water", "landuse", "kelurahan")
log = logging.getLogger(__name__)

# Solara warns on every page load that a cookie cannot be SameSite=None over plain http;
# on loopback that is expected and the fallback (lax) is right, so keep the log quiet.
warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")

warm.enable_settled()
POOL = warm.ModelPool()


def _block_cdn() -> None:
    """Offline on the server side too: Solara's asset proxy fetches a file missing from the
    ``solara-assets`` package from a CDN; here it gets a 'not found' instead."""
    from solara.server import cdn_helper

    def offline(url: str) -> bytes:
        raise Exception(f"offline: {url} is not packaged and is not fetched")  # noqa: TRY002

    cdn_helper.fetch_from_cdn = offline


_block_cdn()


class PlayLoad:
    """How many tabs are playing at once (to say honestly when the server is busy)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.playing = 0

    def __enter__(self) -> PlayLoad:
        with self._lock:
            self.playing += 1
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.playing -= 1


LOAD = PlayLoad()
_WARM = threading.Event()


def warm_up() -> None:
    """Once per server, before it answers (Solara runs this module at its start): start
    the default preset's ensembles in the background, then build its model here (its
    burn-in is stored, and its month-0 view shared by every tab opening the page), so
    no page open waits for a burn-in."""
    if _WARM.is_set():
        return
    _WARM.set()
    try:
        s = Settings.from_preset("blitar")
        want_ensembles(ens.shared(), 0, s)
        POOL.prewarm(s.config())
    except Exception:  # noqa: BLE001 - a warm-up failure only costs speed
        log.exception("warm-up of the default run failed")


# `solara run` executes this file as __main__: warm up there only; an import (tests,
# tools) builds nothing and starts no ensemble workers
if __name__ == "__main__":
    warm_up()


@solara.component
def Layout(children: list | None = None) -> None:
    """No Solara app bar or drawer: the page draws its own header and settings panel."""
    solara.Div(children=children or [])


class Holder:
    """Per-tab holder of the Session (created by use_memo per page)."""

    def __init__(self, settings: Settings) -> None:
        self.session: Session | None = None
        self.first_error: Exception | None = None
        self.live = LiveWidgets(MAP_PX)
        self.view = View(DEFAULT_LANG)
        try:
            self.session = Session(settings, pool=POOL)
        except Exception as exc:  # noqa: BLE001 - shown in the page
            self.first_error = exc

    def close(self) -> None:
        if self.session is not None:
            self.session.close()

    def show(self) -> None:
        """Push the session's latest snapshot to the live widgets."""
        if self.session is not None:
            self.live.push(self.session.snapshot, self.view)


def error_text(exc: Exception, lang: str) -> str:
    """A plain message for an error raised while building or stepping a run."""
    if isinstance(exc, lv.LeverError):
        return exc.text(lang) + " " + t("err.kept", lang)
    if isinstance(exc, SessionError):
        if exc.key == "err.model":
            log.warning("model refused the settings: %s", exc.fmt.get("msg"))
        return t(exc.key, lang)
    log.error("unexpected error in the browser view", exc_info=exc)
    return t("err.bug", lang)


@dataclass(frozen=True)
class MapChoices:
    """The map and kelurahan choices of a tab (reactive values, kept across runs)."""

    layer: solara.Reactive[str]
    show_industry: solara.Reactive[bool]
    show_services: solara.Reactive[bool]
    show_households: solara.Reactive[bool]
    show_bounds: solara.Reactive[bool]
    show_places: solara.Reactive[bool]
    kel_column: solara.Reactive[str]
    kel_mode: solara.Reactive[str]

    def view(self, lang: str) -> View:
        return View(lang, self.layer.value, self.show_industry.value, self.show_services.value,
                    self.show_households.value, self.show_bounds.value, self.show_places.value,
                    self.kel_column.value, self.kel_mode.value)


def use_map_choices() -> MapChoices:
    return MapChoices(solara.use_reactive("air"), solara.use_reactive(True),
                      solara.use_reactive(False), solara.use_reactive(False),
                      solara.use_reactive(True), solara.use_reactive(True),
                      solara.use_reactive(kv.DEFAULT), solara.use_reactive("value"))


@solara.component
def MapControls(c: MapChoices, lang: str) -> None:
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "4px"}):
        solara.ToggleButtonsSingle(value=c.layer.value, on_value=c.layer.set, children=[
            solara.Button(t(f"layer.{k}", lang), value=k, text=True,
                          attributes={"data-testid": f"layer-{k}"})
            for k in LAYERS])
    with solara.Row(style={"flex-wrap": "wrap", "gap": "0 16px"}):
        solara.Checkbox(label=t("map.boundaries", lang), value=c.show_bounds)
        solara.Checkbox(label=t("map.places", lang), value=c.show_places)
        solara.Checkbox(label=t("map.industry", lang), value=c.show_industry)
        solara.Checkbox(label=t("map.services", lang), value=c.show_services)
        solara.Checkbox(label=t("map.households", lang), value=c.show_households)


@solara.component
def KelurahanControls(c: MapChoices, lang: str, report: Any) -> None:
    """Which per-kelurahan column the table, the map layer and the tooltip compare, and
    whether the map layer shows the value or the difference from the baseline."""

    def set_column(v: Any) -> None:
        if v in kv.COLUMNS:
            c.kel_column.set(v)

    def set_mode(v: Any) -> None:
        if v in kv.MODES:
            c.kel_mode.set(v)

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "8px"}):
        solara.v.Select(label=t("kel.choose", lang), v_model=c.kel_column.value,
                        items=[{"text": kv.label(k, lang), "value": k} for k in kv.COLUMNS],
                        on_v_model=guard(set_column, report, lang), dense=True,
                        hide_details=True, style_="max-width: 340px; min-width: 220px",
                        attributes={"data-testid": "kel-column"})
        solara.ToggleButtonsSingle(value=c.kel_mode.value, on_value=guard(set_mode, report,
                                                                           lang), children=[
            solara.Button(t(f"kel.mode_{m}", lang), value=m, text=True,
                          attributes={"data-testid": f"kel-mode-{m}"}) for m in kv.MODES])
        solara.Button(t("kel.show_on_map", lang), icon_name="mdi-map", text=True,
                      on_click=lambda: c.layer.set("kelurahan"),
                      attributes={"data-testid": "kel-to-map"})


@solara.component
def LiveView(holder: Holder, version: solara.Reactive[int], lang: str, on_select: Any,
             choices: MapChoices, report: Any) -> None:
    """Status, cards, map, kelurahan table, timeline and charts of the current run: the
    tab's live widgets placed in cards. Rendered for a new run, language or map choice;
    every month in between is pushed to the widgets by :class:`LiveWidgets`."""
    _ = version.value
    snap = holder.session.snapshot
    holder.view = choices.view(lang)
    lw = holder.live
    card_style = "padding: 12px; margin: 10px 0"
    solara.v.Html(tag="div", children=[lw["head"]])
    with solara.v.Card(style_=card_style, class_="blitar-mapcard"):
        solara.v.Html(tag="div", children=[t("map.title", lang)], class_="text-h6")
        MapControls(choices, lang)
        solara.v.Html(tag="div", class_="blitar-maprow", children=[
            solara.v.Html(tag="div", class_="blitar-mapbox", children=[lw["map"]]),
            lw["inspector"]])
        solara.v.Html(tag="div", children=[lw["legend"]])
        solara.v.Html(tag="div", children=[t("map.hint", lang)],
                      style_="font-size: 12px; color: #666")
    with solara.v.Card(style_=card_style, attributes={"data-testid": "kel-card"}):
        solara.v.Html(tag="div", children=[t("kel.title", lang)], class_="text-h6")
        KelurahanControls(choices, lang, report)
        solara.v.Html(tag="div", children=[lw["kelurahan"]], style_="margin-top: 6px")
    with solara.v.Card(style_=card_style):
        solara.v.Html(tag="div", children=[t("chart.title", lang)], class_="text-h6")
        solara.v.Html(tag="div", children=[lw["timeline"], lw["charts"]])

    def show() -> None:
        lw.set_language(snap, lang, on_select)
        holder.show()  # the latest snapshot (a month may have passed while this rendered)

    solara.use_effect(show)  # after every render


@solara.component
def BandWatcher(holder: Holder, version: solara.Reactive[int]) -> None:
    """Redraw when background ensemble runs arrive (also while the run is paused)."""
    task_ref = solara.use_ref(None)

    def watch() -> None:
        session = holder.session
        seen = -1
        while session is not None:
            task = task_ref.current
            if task is not None and not task.is_current():
                return
            seen = session.ensembles.wait(seen, timeout=1.0)
            if session.refresh():
                holder.show()

    task_ref.current = solara.lab.use_task(watch, dependencies=[], prefer_threaded=True)


@solara.component
def Downloads(holder: Holder, lang: str, stem: str) -> None:
    session = holder.session
    with solara.Card(t("dl.title", lang)):
        with solara.Row(style={"flex-wrap": "wrap"}):
            solara.FileDownload(session.timeseries_csv, filename=f"{stem}.csv",
                                label=t("dl.csv", lang), mime_type="text/csv")
            solara.FileDownload(session.manifest_json, filename=f"{stem}_manifest.json",
                                label=t("dl.manifest", lang), mime_type="application/json")


@solara.component
def RunPanel(holder: Holder, draft: solara.Reactive[Settings], lang: str,
             apply: Any, error: solara.Reactive[str | None], version: solara.Reactive[int],
             sync_live: Any, status: solara.Reactive[tuple[int, bool]]) -> None:
    """Play / step / reset, speed, status, and the live view. Re-renders when ``status``
    (run number, finished) changes, not on every step."""
    _ = status.value
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(6)
    achieved = solara.use_reactive(0.0)
    choices = use_map_choices()
    session = holder.session
    snap = session.snapshot if session is not None else None

    def step(n: int) -> bool:
        if holder.session is None:
            return False
        if draft.value != holder.session.settings and not apply():
            return False
        try:
            holder.session.step(n)
        except Exception as exc:  # noqa: BLE001 - any model error must reach the page
            error.set(error_text(exc, lang))
            return False
        if error.value:
            error.set(None)
        holder.show()
        sync_live()
        finished = holder.session.snapshot.finished
        if finished != status.value[1]:
            status.set((status.value[0], finished))
        return not finished

    def play_loop() -> None:
        done: collections.deque[float] = collections.deque(maxlen=64)
        reported = time.perf_counter()
        with LOAD:
            while playing.value:
                t0 = time.perf_counter()
                if not step(1):
                    playing.set(False)
                    break
                now = time.perf_counter()
                done.append(now)
                recent = [x for x in done if now - x <= 3.0]
                if now - reported >= 1.0 and len(recent) >= 2:
                    achieved.set(round((len(recent) - 1) / (recent[-1] - recent[0]), 1))
                    reported = now
                time.sleep(max(0.0, 1.0 / speed.value - (time.perf_counter() - t0)))

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def reset() -> None:
        playing.set(False)
        apply()

    def select(data: Any) -> None:
        if holder.session is not None and isinstance(data, dict):
            kind = data.get("kind") if data.get("kind") in ("firm", "household") else None
            holder.session.select(kind, int(data.get("row", -1)))
            holder.show()

    def set_speed(v: Any) -> None:
        if v in SPEEDS:
            speed.set(int(v))

    report = error.set
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "6px"}):
        if playing.value:
            solara.Button(t("ctl.pause", lang), icon_name="mdi-pause", color="warning",
                          on_click=lambda: playing.set(False),
                          attributes={"data-testid": "btn-pause"})
        else:
            solara.Button(t("ctl.play", lang), icon_name="mdi-play", color="primary",
                          on_click=guard(lambda: playing.set(True), report, lang),
                          disabled=snap is None or snap.finished,
                          attributes={"data-testid": "btn-play"})
        solara.Button(t("ctl.step", lang), icon_name="mdi-step-forward",
                      on_click=guard(lambda: step(1), report, lang), disabled=playing.value,
                      attributes={"data-testid": "btn-step"})
        solara.Button(t("ctl.year", lang), icon_name="mdi-fast-forward",
                      on_click=guard(lambda: step(12), report, lang), disabled=playing.value,
                      attributes={"data-testid": "btn-year"})
        solara.Button(t("ctl.reset", lang), icon_name="mdi-restart",
                      on_click=guard(reset, report, lang),
                      attributes={"data-testid": "btn-reset"})
        solara.v.Select(label=f"{t('ctl.speed', lang)} ({t('ctl.speed_unit', lang)})",
                        v_model=speed.value, items=list(SPEEDS), dense=True, hide_details=True,
                        on_v_model=guard(set_speed, report, lang),
                        style_="max-width: 190px; margin-left: 8px",
                        attributes={"data-testid": "speed"})
        if playing.value and achieved.value:
            solara.Text(t("ctl.achieved", lang, v=number(achieved.value, 1, lang)),
                        style={"font-size": "13px"}, classes=["achieved-speed"])
    if playing.value and LOAD.playing > 1 and 0 < achieved.value < 0.5 * speed.value:
        solara.Warning(t("ctl.busy", lang, n=LOAD.playing), attributes={"data-testid": "busy"})
    if error.value:
        solara.Error(error.value, attributes={"data-testid": "error"})
    if snap is not None and draft.value != snap.settings:
        solara.Info(t("ctl.pending", lang), attributes={"data-testid": "pending"})
    if snap is not None and snap.finished:
        solara.Success(t("ctl.finished", lang))
    if session is None or snap is None:
        return
    BandWatcher(holder, version)
    LiveView(holder, version, lang, guard(select, report, lang), choices, report)
    s = snap.settings
    Downloads(holder, lang, f"blitar_{s.scenario}_seed{s.seed}_scale{s.scale}")


CSS = """
.blitar-header {position: sticky; top: 0; z-index: 20; height: 56px; background: #1565c0;
  color: white; display: flex; align-items: center; gap: 6px; padding: 0 8px;}
.blitar-header .blitar-title {font-size: 19px; font-weight: 500; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; flex: 1 1 auto; min-width: 0;}
.blitar-body {display: flex; align-items: flex-start;}
.blitar-sidebar {flex: 0 0 380px; width: 380px; height: calc(100vh - 56px); overflow-y: auto;
  position: sticky; top: 56px; border-right: 1px solid #ddd; background: #fafafa;
  padding: 6px 12px 40px 12px; box-sizing: border-box;}
.blitar-sidebar.toggled {display: none;}
.blitar-main {flex: 1 1 auto; min-width: 0; padding: 10px 14px;}
.blitar-cards {display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr));
  gap: 10px;}
.blitar-card {border: 1px solid #ddd; border-radius: 6px; padding: 6px 8px; margin: 4px 0;
  background: #fff;}
.blitar-maprow {display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start;}
.blitar-mapbox {flex: 0 1 560px; min-width: 0; max-width: 560px; width: 100%;}
.blitar-charts {display: flex; flex-wrap: wrap; gap: 10px;}
.blitar-chart {flex: 1 1 250px; max-width: 380px; min-width: 0; border: 1px solid #ddd;
  border-radius: 6px; padding: 6px; background: white;}
.blitar-key {display: inline-block; width: 22px; vertical-align: middle;}
@media (max-width: 899px) {
  .blitar-sidebar {display: none; position: fixed; left: 0; top: 56px; z-index: 30;
    width: min(380px, 94vw); box-shadow: 0 4px 18px rgba(0,0,0,0.35);}
  .blitar-sidebar.toggled {display: block;}
  .blitar-main {padding: 6px;}
  .blitar-cards {grid-template-columns: 1fr;}
  .blitar-chart {max-width: none;}
}
"""


LEVERS_AT_LATEST = 5.0  # s: build the levers even if the map never reports its drawing


def use_levers_ready(holder: Holder) -> bool:
    """False until the tab's map has been drawn (or :data:`LEVERS_AT_LATEST` passed): a new
    tab renders its live view first and its levers, most of its widgets, just after."""
    ready = solara.use_reactive(False)

    def mark() -> None:
        if not ready.value:
            ready.set(True)

    holder.live["map"].on_drawn = mark

    def fallback() -> None:
        time.sleep(LEVERS_AT_LATEST)
        mark()

    solara.lab.use_task(fallback, dependencies=[], prefer_threaded=True)
    return ready.value


@solara.component
def Page() -> None:
    """The scenario explorer, one independent session per browser tab."""
    lang = solara.use_reactive(DEFAULT_LANG)
    initial = solara.use_memo(lambda: Settings.from_preset("blitar"), [])
    holder = solara.use_memo(lambda: Holder(initial), [])
    solara.use_effect(lambda: holder.close, [])
    draft = solara.use_reactive(initial)
    error = solara.use_reactive(
        error_text(holder.first_error, DEFAULT_LANG) if holder.first_error else None)
    version = solara.use_reactive(0)
    menu = solara.use_reactive(False)
    levers_ready = use_levers_ready(holder)
    status = solara.use_reactive((0, False))  # (run number, finished)
    snap0 = holder.session.snapshot if holder.session is not None else None
    in_force_state = solara.use_reactive((snap0.in_force, snap0.events, snap0.schedule, snap0.month)
                               if snap0 is not None else ({}, (), {}, 0))

    def sync_live() -> None:
        snap = holder.session.snapshot
        if (snap.in_force, snap.events, snap.schedule) != in_force_state.value[:3]:
            in_force_state.set((snap.in_force, snap.events, snap.schedule, snap.month))

    def apply(settings: Settings | None = None) -> bool:
        """(Re)start the run with ``settings`` (default: the draft); False on error."""
        target = settings or draft.value
        ok = True
        try:
            if holder.session is None:
                holder.session = Session(target, pool=POOL)
            else:
                holder.session.rebuild(target)
            error.set(None)
        except Exception as exc:  # noqa: BLE001 - shown in the page, server keeps serving
            error.set(error_text(exc, lang.value))
            ok = False
        version.set(version.value + 1)
        if holder.session is not None:
            sync_live()
            status.set((status.value[0] + 1, holder.session.snapshot.finished))
        return ok

    def on_preset(name: str) -> None:
        cur = draft.value
        new = Settings.from_preset(name, scale=cur.scale, seed=cur.seed)
        draft.set(new)
        apply(new)

    def set_lang(value: Any) -> None:
        if value in ("id", "en"):
            lang.set(value)

    L = lang.value
    solara.Style(CSS)
    solara.Title(t("app.title", L))
    with solara.Div(classes=["blitar-header"]):
        solara.Button(icon_name="mdi-menu", icon=True, dark=True,
                      on_click=lambda: menu.set(not menu.value),
                      attributes={"data-testid": "menu-btn", "aria-label": t("app.menu", L)})
        solara.Div(children=[t("app.title", L)], classes=["blitar-title"])
        solara.ToggleButtonsSingle(value=L, on_value=guard(set_lang, error.set, L), children=[
            solara.Button("ID", value="id", text=True, attributes={"data-testid": "lang-id"}),
            solara.Button("EN", value="en", text=True, attributes={"data-testid": "lang-en"})])
    with solara.Div(classes=["blitar-body"]):
        with solara.Div(classes=["blitar-sidebar"] + (["toggled"] if menu.value else []),
                        attributes={"data-testid": "sidebar"}):
            with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
                solara.Text(t("app.menu", L), style={"font-weight": "700", "font-size": "16px"})
                solara.Button(t("app.close", L), icon_name="mdi-close", text=True,
                              on_click=lambda: menu.set(not menu.value),
                              attributes={"data-testid": "menu-close"})
            if holder.session is not None:
                in_force, events, schedule, month = in_force_state.value
                Sidebar(draft, holder.session.settings, L, guard(on_preset, error.set, L),
                        error.set, in_force, events, schedule, month, levers_ready)
        with solara.Div(classes=["blitar-main"]):
            solara.Text(t("app.subtitle", L), style={"font-size": "14px", "color": "#333"})
            RunPanel(holder, draft, L, apply, error, version, sync_live, status)
