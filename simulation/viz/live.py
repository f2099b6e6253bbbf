"""The parts of the page that change every month, updated in place.

A Solara re-render reconciles every widget of the page (a few hundred, most of them the
settings panel) even when only the month changed; that took longer than the model step.
So the month's status with the cards, the map, the inspector, the legend, the timeline and
the charts are widgets created once per tab (:class:`MapWidget`, :class:`ChartsWidget` and
HTML blocks) and placed in the page as they are; :meth:`LiveWidgets.push` sets their
properties directly from a
:class:`~simulation.viz.session.Snapshot`: one message per changed widget, nothing else
re-rendered; what sits at the top of the page (month, cards, map, charts) goes first.
The page re-renders only for a new run, a language or a layer choice, and
then pushes the current snapshot again, so what is shown is always the latest snapshot.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipyvuetify as v
import ipywidgets
import numpy as np
import solara
import traitlets

from simulation.model.indicators import INDICATOR
from simulation.viz import kelurahan as kv
from simulation.viz import mapdata as md
from simulation.viz import panels
from simulation.viz.i18n import t, unit_text
from simulation.viz.session import CARDS, Snapshot

HERE = Path(__file__).parent


class MapWidget(v.VuetifyTemplate):
    """The canvas map (map.vue). ``on_pick(data)`` is called when a dot is clicked,
    ``on_drawn()`` once, when the page has drawn the map for the first time."""

    template_file = (str(HERE / "map.vue"), "map.vue")
    image = traitlets.Unicode("").tag(sync=True)
    geometry = traitlets.Unicode("{}").tag(sync=True)
    firms = traitlets.Unicode("[]").tag(sync=True)
    households = traitlets.Unicode("[]").tag(sync=True)
    show_firms = traitlets.Bool(True).tag(sync=True)
    show_households = traitlets.Bool(False).tag(sync=True)
    show_boundaries = traitlets.Bool(True).tag(sync=True)
    show_places = traitlets.Bool(True).tag(sync=True)
    kel_tips = traitlets.Unicode("[]").tag(sync=True)
    sector_colors = traitlets.List().tag(sync=True)
    sector_labels = traitlets.List().tag(sync=True)
    hh_colors = traitlets.List().tag(sync=True)
    hh_labels = traitlets.List().tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)
    selected = traitlets.Any(None).tag(sync=True)
    size = traitlets.Int(560).tag(sync=True)

    def vue_pick(self, data: Any) -> None:
        callback = getattr(self, "on_pick", None)
        if callback is not None:
            callback(data)

    def vue_drawn(self, data: Any = None) -> None:
        callback = getattr(self, "on_drawn", None)
        if callback is not None:
            callback()


class ChartsWidget(v.VuetifyTemplate):
    """Small-multiple charts (charts.vue), data as one JSON text."""

    template_file = (str(HERE / "charts.vue"), "charts.vue")
    charts_json = traitlets.Unicode("[]").tag(sync=True)
    tail_json = traitlets.Unicode("[]").tag(sync=True)
    start_year = traitlets.Int(2025).tag(sync=True)
    locale = traitlets.Unicode("id-ID").tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)


@dataclass(frozen=True)
class View:
    """What the person chose to see (language and map layers)."""

    lang: str
    layer: str = "air"
    show_industry: bool = True
    show_services: bool = False
    show_households: bool = False
    show_boundaries: bool = True
    show_places: bool = True
    kel_column: str = kv.DEFAULT
    kel_mode: str = "value"

    @property
    def firm_kind(self) -> str | None:
        """Which firms the map shows (None: none)."""
        if self.show_industry and self.show_services:
            return "all"
        if self.show_industry or self.show_services:
            return "manufacturing" if self.show_industry else "services"
        return None


def _series(x: np.ndarray, decimals: int) -> list[float]:
    """Rounded values for JSON (NaN stays NaN here; :func:`charts_json` writes null)."""
    return np.round(np.asarray(x, dtype=float), decimals).tolist()


def charts_json(snap: Snapshot, lang: str, start: int = 0) -> str:
    """What the charts draw of months start+1..month, as one JSON text (NaN as null)."""
    out = []
    events = sorted({e.month + 0.5 for e in snap.events}
                    | {m + 0.5 for m in snap.schedule if m < snap.month})
    for name, digits in CARDS:
        f = panels.display_factor(name)
        dec = digits + 2
        std = snap.standards.get(name)
        out.append({
            "key": name, "title": t(f"ind.{name}", lang),
            "unit": unit_text(INDICATOR[name].unit, lang), "digits": digits,
            "run": _series(snap.series_of(name)[start:] * f, dec),
            "base": _series(snap.series_of(name, True)[start:] * f, dec),
            **{k: _series(x * f, dec) for k, x in snap.bands(name, start).items()},
            "standard": None if std is None else std * f, "events": events})
    # NaN (a seed not computed yet) is not JSON: write null (no text field holds "NaN")
    return json.dumps(out, separators=(",", ":")).replace("NaN", "null")


class ChartFeed:
    """What the charts are sent each month: a *checkpoint* (months 1..k0, sent again only
    for a new run, new ensemble runs, another language or every :attr:`every` months) and
    the *tail* (months k0+1..k), so a month's message stays small however long the run."""

    every = 24

    def __init__(self) -> None:
        self.key: tuple[Any, ...] | None = None
        self.k0 = 0

    def traits(self, snap: Snapshot, lang: str) -> dict[str, str]:
        key = (snap.run_id, snap.progress, lang)
        if key != self.key or not self.k0 <= snap.month <= self.k0 + self.every:
            self.key, self.k0 = key, snap.month
            return {"charts_json": charts_json(snap, lang), "tail_json": "[]"}
        return {"tail_json": charts_json(snap, lang, self.k0)}


def map_labels(lang: str) -> dict[str, str]:
    return {"firm": t("insp.firm", lang), "household": t("insp.household", lang),
            "green": t("map.green", lang), "not_green": t("map.not_green", lang),
            "workers": t("state.workers", lang), "members": t("state.members", lang),
            "employed": t("state.employed", lang), "click": t("map.hint", lang),
            "number": t("state.row", lang), "north": t("map.north", lang)}


def status_html(snap: Snapshot, lang: str) -> str:
    month = t("ctl.month", lang, k=snap.month, n=snap.n_steps,
              date=snap.date_label(t("ctl.start", lang)))
    note = t("ctl.baseline_note", lang, name=t(f"scenario.{snap.baseline_name}", lang))
    return f'<b data-testid="month-label" data-month="{snap.month}">{month}</b> · {note}'


def map_image(snap: Snapshot, view: View) -> str:
    """The map's base layer: a pollution or land-use image, or the kelurahan choropleth."""
    if view.layer == "kelurahan":
        colours, _, _ = kv.colours(snap, view.kel_column, view.kel_mode)
        return md.area_image(snap.map, colours)
    return md.layer_image(snap.map, view.layer)


def content_first(snap: Snapshot, view: View) -> dict[str, dict[str, Any]]:
    """What a month changes at the top of the page (month, cards, map), sent first."""
    lang, state = view.lang, snap.map
    sel = {"kind": snap.selected[0], "row": snap.selected[1]} if snap.selected else None
    return {
        # one widget, so one message: the month and the cards change together
        "head": {"unsafe_innerHTML": (
            f'<div style="font-size: 13px; margin: 4px 0">{status_html(snap, lang)}</div>'
            + panels.all_cards(snap, lang))},
        "map": {
            "image": map_image(snap, view),
            "firms": (json.dumps(md.firm_codes(state, view.firm_kind)) if view.firm_kind
                      else "[]"),
            "households": (json.dumps(md.household_points(state)) if view.show_households
                           else "[]"),
            "selected": md.agent_xy(state, sel["kind"], sel["row"]) if sel else None,
            "show_firms": view.firm_kind is not None,
            "show_households": view.show_households,
            "show_boundaries": view.show_boundaries,
            "show_places": view.show_places}}


def content_later(snap: Snapshot, view: View) -> dict[str, dict[str, Any]]:
    """The rest of a month (kelurahan tooltips and table, inspector, legend, timeline),
    sent after the charts so that the map and charts are redrawn first."""
    lang = view.lang
    sel = {"kind": snap.selected[0], "row": snap.selected[1]} if snap.selected else None
    return {
        "map": {"kel_tips": json.dumps(kv.hover_lines(snap, view.kel_column, lang))},
        "inspector": {"unsafe_innerHTML": panels.inspector(snap.agent, sel, lang)},
        "legend": {"unsafe_innerHTML": panels.legend(
            snap, view.layer, view.firm_kind is not None, view.show_households, lang,
            view.kel_column, view.kel_mode)},
        "timeline": {"unsafe_innerHTML": panels.timeline(snap, lang)},
        "kelurahan": {"unsafe_innerHTML": kv.table(snap, view.kel_column, lang)},
    }


def content(snap: Snapshot, view: View) -> dict[str, dict[str, Any]]:
    """Every per-month property of the live widgets but the charts', by widget name."""
    out = content_first(snap, view)
    for name, traits in content_later(snap, view).items():
        out[name] = {**out.get(name, {}), **traits}
    return out


def map_static(snap: Snapshot, lang: str) -> dict[str, Any]:
    """Map properties that change only with the city or the language."""
    return {"geometry": md.geometry_json(snap.map, lang),
            "sector_colors": list(md.SECTOR_COLORS),
            "sector_labels": [t(f"sector.{s}", lang) for s in md.sector_names()],
            "hh_colors": list(md.HOUSEHOLD_COLORS),
            "hh_labels": [t(k, lang) for k in md.HOUSEHOLD_KEYS],
            "labels": map_labels(lang)}


class LiveWidgets:
    """One tab's live widgets, created here (not by the page's render tree, which would
    set them back to the values of its last render whenever any part of the page
    re-renders); :meth:`push` updates them in place."""

    def __init__(self, map_px: int = 560) -> None:
        self._lock = threading.Lock()

        def html(style: str = "") -> ipywidgets.Widget:
            return solara.widgets.HTML(tag="div", unsafe_innerHTML="",
                                       attributes={"style": style})

        self.widgets: dict[str, ipywidgets.Widget] = {
            "head": html(),
            "map": MapWidget(size=map_px),
            "inspector": html("min-width: 220px; padding: 0 8px; flex: 1 1 220px"),
            "legend": html(), "timeline": html("margin-bottom: 8px"), "charts": ChartsWidget(),
            "kelurahan": html()}
        self.feed = ChartFeed()
        self.pushed: Snapshot | None = None
        self.pushed_view: View | None = None

    def __getitem__(self, name: str) -> ipywidgets.Widget:
        return self.widgets[name]

    def set_language(self, snap: Snapshot, lang: str, on_pick: Any) -> None:
        """What changes only with the language or the city."""
        with self._lock:
            self.widgets["map"].on_pick = on_pick
            _assign(self.widgets["map"], map_static(snap, lang))
            _assign(self.widgets["charts"], {
                "start_year": snap.settings.start_year,
                "locale": "id-ID" if lang == "id" else "en-GB",
                "labels": {"run": t("chart.run", lang), "base": t("chart.baseline", lang),
                           "band": t("chart.band", lang), "standard": t("chart.standard", lang),
                           "event": t("chart.event", lang)}})

    def push(self, snap: Snapshot, view: View) -> None:
        """Show ``snap``: set every property that differs from what the widget holds. A
        snapshot older than the one shown (another thread was faster) is skipped."""
        with self._lock:
            old = self.pushed
            if old is not None and view == self.pushed_view and snap.run_id == old.run_id \
                    and snap.month < old.month:
                return
            first = content_first(snap, view)
            first["charts"] = self.feed.traits(snap, view.lang)
            for name, traits in first.items():
                _assign(self.widgets[name], traits)
            for name, traits in content_later(snap, view).items():
                _assign(self.widgets[name], traits)
            self.pushed, self.pushed_view = snap, view


def _assign(widget: ipywidgets.Widget, traits: dict[str, Any]) -> None:
    with widget.hold_sync():
        for key, value in traits.items():
            if getattr(widget, key) != value:
                setattr(widget, key, value)
