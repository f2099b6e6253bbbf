"""The Solara page: ``solara run simulation/viz/app.py`` (or ``blitar-sim viz``).

Every browser session gets its own :class:`~simulation.viz.session.Session` (held in
component state, never at module level), so one person's levers never touch another's
run. Errors from the model are caught and shown in the page.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import solara
import solara.lab

from simulation.viz import mapdata as md
from simulation.viz import panels
from simulation.viz.controls import Sidebar
from simulation.viz.i18n import DEFAULT_LANG, has, number, t
from simulation.viz.levers import LeverError
from simulation.viz.session import CARDS, Session, SessionError, Settings, Snapshot

HERE = Path(__file__).parent
MAP_PX = 560


@solara.component_vue(str(HERE / "map.vue"))
def CityMap(image: str, rows: int, cols: int, size: int, segs: list, kec: list, firms: list,
            households: list, show_firms: bool, show_households: bool, show_boundaries: bool,
            sector_colors: list, sector_labels: list, hh_colors: list, hh_labels: list,
            labels: dict, selected: Any, event_pick: Any = None) -> None:
    """Canvas map drawn in the browser (see map.vue)."""


@solara.component_vue(str(HERE / "charts.vue"))
def Charts(charts: list, n_steps: int, start_year: int, run_label: str, base_label: str,
           locale: str) -> None:
    """Small-multiple line charts, run against baseline (see charts.vue)."""


class Holder:
    """Per-session mutable holder for the Session (created by use_memo per page)."""

    def __init__(self, settings: Settings) -> None:
        self.session: Session | None = None
        self.first_error: Exception | None = None
        try:
            self.session = Session(settings)
        except Exception as exc:  # noqa: BLE001 - shown in the page
            self.first_error = exc


def error_text(exc: Exception, lang: str) -> str:
    """A readable message for errors raised while building or stepping a run."""
    if isinstance(exc, LeverError):
        lever = exc.lever
        label = t(f"lever.{lever.name}.label", lang)
        lo = number(lever.lo, 2, lang) if lever.lo is not None else "–"
        hi = number(lever.hi, 2, lang) if lever.hi is not None else "–"
        return t(f"err.{exc.reason}", lang, label=label, value=exc.value, lo=lo, hi=hi)
    if isinstance(exc, SessionError):
        fmt = dict(exc.fmt)
        if isinstance(fmt.get("label"), str) and has(fmt["label"]):
            fmt["label"] = t(fmt["label"], lang)
        return t(exc.key, lang, **fmt)
    return t("err.model", lang, msg=f"{type(exc).__name__}: {exc}")


def _map_labels(lang: str) -> dict[str, str]:
    return {"firm": t("insp.firm", lang), "household": t("insp.household", lang),
            "green": t("map.green", lang), "not_green": t("map.not_green", lang),
            "workers": t("state.workers", lang), "members": t("state.members", lang),
            "employed": t("state.employed", lang), "click": t("map.hint", lang)}


@solara.component
def MapCard(snap: Snapshot, lang: str, on_select: Any) -> None:
    """The map with its layer choice, legend and the selected agent's state.

    Drawn from the snapshot only; ``on_select(kind, row)`` makes the session inspect an
    agent (its state then comes with every snapshot)."""
    layer = solara.use_reactive("air")
    show_firms = solara.use_reactive(True)
    show_households = solara.use_reactive(False)
    show_bounds = solara.use_reactive(True)
    state = snap.map
    static = solara.use_memo(lambda: (md.boundaries(state), md.kecamatan_labels(state)),
                             [id(state.city)])
    sel = {"kind": snap.selected[0], "row": snap.selected[1]} if snap.selected else None
    sel_xy = md.agent_xy(state, sel["kind"], sel["row"]) if sel else None
    with solara.Card(t("map.title", lang), style={"min-width": f"{MAP_PX + 40}px"}):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "4px"}):
            solara.ToggleButtonsSingle(value=layer.value, on_value=layer.set, children=[
                solara.Button(t(f"layer.{k}", lang), value=k, text=True,
                              attributes={"data-testid": f"layer-{k}"})
                for k in ("air", "water", "landuse")])
        with solara.Row(style={"flex-wrap": "wrap", "gap": "0 16px"}):
            solara.Checkbox(label=t("map.boundaries", lang), value=show_bounds)
            solara.Checkbox(label=t("map.firms", lang), value=show_firms)
            solara.Checkbox(label=t("map.households", lang), value=show_households)
        with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap", "gap": "12px"}):
            CityMap(image=md.layer_image(state, layer.value), rows=state.rows, cols=state.cols,
                    size=MAP_PX, segs=static[0], kec=static[1],
                    firms=md.firm_points(state) if show_firms.value else [],
                    households=md.household_points(state) if show_households.value else [],
                    show_firms=show_firms.value, show_households=show_households.value,
                    show_boundaries=show_bounds.value, sector_colors=list(md.SECTOR_COLORS),
                    sector_labels=[t(f"sector.{s}", lang) for s in md.sector_names()],
                    hh_colors=list(md.HOUSEHOLD_COLORS),
                    hh_labels=[t(k, lang) for k in md.HOUSEHOLD_KEYS],
                    labels=_map_labels(lang), selected=sel_xy,
                    event_pick=lambda data: on_select(data["kind"], int(data["row"])))
            solara.HTML(tag="div", unsafe_innerHTML=panels.inspector(snap.agent, sel, lang),
                        style={"min-width": "230px", "padding": "0 8px"})
        solara.HTML(tag="div", unsafe_innerHTML=panels.legend(
            snap, layer.value, show_firms.value, show_households.value, lang))
        solara.Text(t("map.hint", lang), style={"font-size": "12px", "color": "#666"})


@solara.component
def Indicators(snap: Snapshot, lang: str) -> None:
    with solara.Columns([1, 1, 1]):
        for pillar in ("economy", "environment", "social"):
            solara.HTML(tag="div", unsafe_innerHTML=panels.pillar_cards(snap, pillar, lang))


@solara.component
def TimeSeries(snap: Snapshot, lang: str) -> None:
    charts = []
    for name, _pillar, _hb, mult, digits in CARDS:
        charts.append({"key": name, "title": t(f"ind.{name}", lang),
                       "unit": t(f"ind.{name}.unit", lang), "digits": digits,
                       "run": [float(x) * mult for x in snap.series_of(name)],
                       "base": [float(x) * mult for x in snap.series_of(name, True)]})
    with solara.Card(t("chart.title", lang)):
        Charts(charts=charts, n_steps=snap.n_steps, start_year=snap.settings.start_year,
               run_label=t("chart.run", lang), base_label=t("chart.baseline", lang),
               locale="id-ID" if lang == "id" else "en-GB")


@solara.component
def RunPanel(holder: Holder, draft: solara.Reactive[Settings], lang: str,
             apply: Any, error: solara.Reactive[str | None], version: solara.Reactive[int]
             ) -> None:
    """Play / step / reset, speed, status, map, indicator cards, charts and downloads."""
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(6)
    session = holder.session
    # One snapshot per render: everything below shows the same month, even while Play
    # steps the model in its thread. Reading ``version`` subscribes this component to it;
    # it changes after each step, rebuild or selection, when a new snapshot is published.
    _ = version.value
    snap = session.snapshot if session is not None else None

    def step(n: int) -> bool:
        if session is None:
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
        version.set(version.value + 1)
        return not holder.session.snapshot.finished

    def play_loop() -> None:
        while playing.value:
            t0 = time.perf_counter()
            if not step(1):
                playing.set(False)
                break
            time.sleep(max(0.0, 1.0 / speed.value - (time.perf_counter() - t0)))

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def reset() -> None:
        playing.set(False)
        apply()

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "6px"}):
        if playing.value:
            solara.Button(t("ctl.pause", lang), icon_name="mdi-pause", color="warning",
                          on_click=lambda: playing.set(False),
                          attributes={"data-testid": "btn-pause"})
        else:
            solara.Button(t("ctl.play", lang), icon_name="mdi-play", color="primary",
                          on_click=lambda: playing.set(True),
                          disabled=snap is None or snap.finished,
                          attributes={"data-testid": "btn-play"})
        solara.Button(t("ctl.step", lang), icon_name="mdi-step-forward", on_click=lambda: step(1),
                      disabled=playing.value, attributes={"data-testid": "btn-step"})
        solara.Button(t("ctl.year", lang), icon_name="mdi-fast-forward",
                      on_click=lambda: step(12), disabled=playing.value,
                      attributes={"data-testid": "btn-year"})
        solara.Button(t("ctl.reset", lang), icon_name="mdi-restart", on_click=reset,
                      attributes={"data-testid": "btn-reset"})
        with solara.Div(style={"width": "240px", "margin-left": "12px"}):
            solara.Text(f"{t('ctl.speed', lang)}: {speed.value}", style={"font-size": "13px"})
            with solara.Div(style={"margin": "-14px 0 -20px 0"}):
                solara.SliderInt("", value=speed, min=1, max=24)
    if snap is not None:
        month = t("ctl.month", lang, k=snap.month, n=snap.n_steps,
                  date=snap.date_label(t("ctl.start", lang)))
        note = t("ctl.baseline_note", lang, name=snap.baseline_name)
        solara.HTML(tag="div", style={"font-size": "13px"}, unsafe_innerHTML=(
            f'<b data-testid="month-label" data-month="{snap.month}">{month}</b> · {note}'))
    if error.value:
        solara.Error(error.value, attributes={"data-testid": "error"})
    if snap is not None and draft.value != snap.settings:
        solara.Info(t("ctl.pending", lang), attributes={"data-testid": "pending"})
    if snap is not None and snap.finished:
        solara.Success(t("ctl.finished", lang))
    if session is None or snap is None:
        return

    def select(kind: str, row: int) -> None:
        session.select(kind, row)
        version.set(version.value + 1)

    Indicators(snap, lang)
    MapCard(snap, lang, select)
    TimeSeries(snap, lang)
    s = snap.settings
    stem = f"blitar_{s.scenario}_seed{s.seed}_scale{s.scale}_m{snap.month}"
    with solara.Card(t("dl.title", lang)):
        with solara.Row():
            solara.FileDownload(session.timeseries_csv, filename=f"{stem}.csv",
                                label=t("dl.csv", lang), mime_type="text/csv")
            solara.FileDownload(session.manifest_json, filename=f"{stem}_manifest.json",
                                label=t("dl.manifest", lang), mime_type="application/json")


@solara.component
def Page() -> None:
    """The scenario explorer, one independent session per browser tab."""
    lang = solara.use_reactive(DEFAULT_LANG)
    initial = solara.use_memo(lambda: Settings.from_preset("blitar"), [])
    holder = solara.use_memo(lambda: Holder(initial), [])
    draft = solara.use_reactive(initial)
    error = solara.use_reactive(
        error_text(holder.first_error, DEFAULT_LANG) if holder.first_error else None)
    version = solara.use_reactive(0)

    def apply(settings: Settings | None = None) -> bool:
        """(Re)start the run with ``settings`` (default: the draft); False on error."""
        target = settings or draft.value
        ok = True
        try:
            if holder.session is None:
                holder.session = Session(target)
            else:
                holder.session.rebuild(target)
            error.set(None)
        except Exception as exc:  # noqa: BLE001 - shown in the page, server keeps serving
            error.set(error_text(exc, lang.value))
            ok = False
        version.set(version.value + 1)
        return ok

    def on_preset(name: str) -> None:
        cur = draft.value
        try:
            new = Settings.from_preset(name, scale=cur.scale, seed=cur.seed)
        except Exception as exc:  # noqa: BLE001
            error.set(error_text(exc, lang.value))
            return
        draft.set(new)
        apply(new)

    solara.Title(t("app.title", lang.value))
    with solara.AppBar():
        solara.ToggleButtonsSingle(value=lang, children=[
            solara.Button("ID", value="id", text=True, attributes={"data-testid": "lang-id"}),
            solara.Button("EN", value="en", text=True, attributes={"data-testid": "lang-en"})])
    with solara.AppBarTitle():
        solara.Text(t("app.title", lang.value))
    with solara.Sidebar():
        Sidebar(draft, lang.value, on_preset)
    solara.Markdown(t("app.subtitle", lang.value))
    RunPanel(holder, draft, lang.value, apply, error, version)
