"""The settings panel: scenario preset, seed, scale and the levers grouped by agency.

Edits change a *draft* :class:`~simulation.viz.session.Settings`; the run restarts with it
on the next Play, Step or Reset (choosing a preset restarts at once). Each numeric lever
has a slider and a box to type a value; every value the page sends (dragged, typed, or a
tampered widget message) is validated by the config model (:func:`levers.validate`) and a
rejected one becomes a message under the lever, never a traceback; the run is kept. A lever
the user has not changed shows the value *in force* this month, so scheduled changes and
the dialogue forum's decisions move the sliders as the run plays.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

import solara
import solara.lab

from simulation.config.levers import FieldMeta
from simulation.viz import levers as lv
from simulation.viz.i18n import number, t
from simulation.viz.session import SCALES, Event, Settings, month_label

log = logging.getLogger(__name__)


def guard(handler: Callable[..., Any], report: Callable[[str], None], lang: str
          ) -> Callable[..., Any]:
    """``handler`` that turns any exception into a message (the page never shows a
    traceback; the details go to the server log)."""

    def safe(*args: Any) -> Any:
        try:
            return handler(*args)
        except lv.LeverError as exc:
            report(exc.text(lang))
        except Exception:  # noqa: BLE001 - a widget must never crash the tab
            log.exception("error in a browser event handler")
            report(t("err.bug", lang))
        return None

    return safe


def _caption(text: str, testid: str | None = None, colour: str = "#555") -> None:
    solara.HTML(tag="div", unsafe_innerHTML=text,
                attributes={"data-testid": testid} if testid else {},
                style={"font-size": "12px", "color": colour, "margin": "0 0 8px 0",
                       "line-height": "1.35"})


def _history(meta: FieldMeta, events: tuple[Event, ...], schedule: dict[int, dict[str, Any]],
             month: int, start_value: Any, start_year: int, lang: str) -> str:
    """Who last changed the lever (schedule or forum) and its upcoming scheduled values."""
    parts = []
    last = [e for e in events if meta.name in e.changes]
    if last:
        e = last[-1]
        who = t("who.schedule" if e.who == "schedule" else "who.forum", lang)
        parts.append(t("ctl.changed_by", lang, who=who, date=month_label(start_year, e.month),
                       start=lv.value_text(meta, start_value, lang)))
    upcoming = [f"{month_label(start_year, m)} → {lv.value_text(meta, c[meta.name], lang)}"
                for m, c in sorted(schedule.items()) if meta.name in c and m >= month]
    if upcoming:
        parts.append(t("ctl.scheduled", lang, items="; ".join(upcoming)))
    return " · ".join(parts)


@solara.component
def LeverInput(meta: FieldMeta, value: Any, on_value: Callable[[Any], None], lang: str,
               start_year: int, end_year: int, message: str | None, history: str) -> None:
    """One lever: label with the value shown, slider and typed box (numbers), switch or
    year list, allowed range, explanation, and a message if a value was rejected."""
    label = t(f"lever.{meta.name}.label", lang)
    d = lv.LEVER_DISPLAY[meta.name]
    attrs = {"data-testid": f"lever-{meta.name}", "data-agency": meta.agency,
             "data-unit": meta.unit, "data-low": str(meta.low), "data-high": str(meta.high),
             "data-value": str(value)}
    with solara.Div(attributes=attrs, classes=["blitar-lever"]):
        if meta.kind in ("float", "int"):
            shown = lv.to_display(meta, value)
            step = lv.to_display(meta, meta.ui_step or 1)

            def slid(v: Any) -> None:
                # the slider rounds a value that is off its step grid (UMK 6,6 % with
                # 0,5 % steps) and reports that as a change: only a real move counts
                if isinstance(v, int | float) and not isinstance(v, bool) and \
                        abs(v - shown) < step / 2:
                    return
                on_value(("slider", v))
            solara.HTML(tag="div", unsafe_innerHTML=(
                f"{label}: <b data-testid='value-{meta.name}'>"
                f"{lv.value_text(meta, value, lang)}</b>"),
                style={"font-size": "14px", "margin-top": "6px"})
            with solara.Row(style={"align-items": "center", "gap": "6px", "margin": "0"}):
                solara.v.Slider(v_model=shown, min=lv.to_display(meta, meta.low),
                                max=lv.to_display(meta, meta.slider_max),
                                step=step, hide_details=True, dense=True,
                                style_="flex: 1 1 auto", on_v_model=slid)
                solara.InputText(t("ctl.type", lang),
                                 value=number(shown, lv.digits_of(meta), lang),
                                 on_value=lambda v: on_value(("typed", v)),
                                 continuous_update=False,
                                 style={"max-width": "110px", "flex": "0 0 110px"},
                                 classes=[f"typed-{meta.name}"])
            rng = t("ctl.range", lang, r=lv.range_text(meta, lang, start_year, end_year))
        elif meta.kind == "switch" and not lv.is_toggle(meta):
            items = [{"text": lv.choice_text(meta, c, lang), "value": c} for c in meta.choices]
            solara.v.Select(label=label, items=items, v_model=value, dense=True,
                            hide_details=True, on_v_model=lambda v: on_value(("choice", v)),
                            style_="margin-top: 10px")
            rng = lv.range_text(meta, lang)
        elif meta.kind in ("bool", "switch"):
            on = value is True or value == "on"
            solara.v.Switch(label=label, v_model=on, hide_details=True, dense=True,
                            on_v_model=lambda v: on_value(("switch", v)))
            rng = lv.range_text(meta, lang)
        else:  # year: 0 = none, else within the horizon
            items = [{"text": t("ctl.never", lang), "value": 0}] + [
                {"text": str(y), "value": y} for y in range(start_year, end_year)]
            solara.v.Select(label=label, items=items, v_model=value, dense=True,
                            hide_details=True, on_v_model=lambda v: on_value(("year", v)),
                            style_="margin-top: 10px")
            rng = t("ctl.range", lang, r=lv.range_text(meta, lang, start_year, end_year))
        if history:
            _caption(history, f"history-{meta.name}", colour="#6a1b9a")
        _caption(f"{d.text('help', lang)} <i>({rng})</i>")
        if message:
            _caption(message, f"lever-error-{meta.name}", colour="#c62828")


def lever_value(meta: FieldMeta, how: str, raw: Any, lang: str) -> Any:
    """The config value meant by a widget event (LeverError if it cannot be one)."""
    if how == "typed":
        parsed = lv.parse_typed(raw, lang)
        return lv.from_display(meta, parsed) if isinstance(parsed, int | float) else parsed
    if how == "slider":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return raw
        return lv.from_display(meta, raw)
    if how == "switch":
        if not isinstance(raw, bool):
            return raw
        return ("on" if raw else "off") if meta.kind == "switch" else raw
    return raw  # year or choice


def _scale_items(lang: str) -> list[dict[str, Any]]:
    return [{"text": t("ctl.scale_full", lang) if s == 1 else t("ctl.scale_item", lang, n=s),
             "value": s} for s in SCALES]


@solara.component
def Sidebar(draft: solara.Reactive[Settings], running: Settings, lang: str,
            on_preset: Callable[[str], None], report: Callable[[str], None],
            in_force: dict[str, Any], events: tuple[Event, ...],
            schedule: dict[int, dict[str, Any]], month: int, levers_ready: bool = True) -> None:
    """Scenario preset, seed, scale and levers; edits go to ``draft``. Until
    ``levers_ready`` (the page's map is drawn) the levers are a one-line placeholder: they
    are most of the page's widgets, and a new tab shows its map first."""
    s = draft.value
    messages = solara.use_reactive({})

    def set_field(**changes: Any) -> None:
        draft.set(dataclasses.replace(draft.value, **changes))

    def set_message(name: str, text: str | None) -> None:
        new = {k: v for k, v in messages.value.items() if k != name}
        if text:
            new[name] = text
        messages.set(new)

    def on_lever(meta: FieldMeta, event: tuple[str, Any]) -> None:
        try:
            value = lever_value(meta, *event, lang) if isinstance(event, tuple) else event
            value = lv.check_one(s.scenario, meta.name, value, s.start_year, s.end_year)
        except lv.LeverError as exc:
            set_message(meta.name, exc.text(lang, s.start_year, s.end_year) + " "
                        + t("err.kept", lang))
            return
        set_message(meta.name, None)
        set_field(levers={**draft.value.levers, meta.name: value})

    def on_seed(text: Any) -> None:
        parsed = lv.parse_typed(text, lang)
        lv.validate(s.scenario, {}, seed=parsed)  # LeverError names the field and range
        set_message("seed", None)
        set_field(seed=int(parsed))

    def on_scale(value: Any) -> None:
        if value not in SCALES or isinstance(value, bool):
            raise lv.LeverError("scale", value, "choice", SCALES)
        set_field(scale=int(value))

    def report_seed(text: str) -> None:
        set_message("seed", text + " " + t("err.kept", lang))

    names = lv.preset_names()
    titles = {n: t(f"scenario.{n}", lang) for n in names}
    solara.v.Select(label=t("ctl.scenario", lang), v_model=s.scenario if s.scenario in names
                    else names[0], items=[{"text": titles[n], "value": n} for n in names],
                    on_v_model=guard(lambda v: on_preset(v) if v in names and v != s.scenario
                                     else None, report, lang),
                    attributes={"data-testid": "scenario-select"}, hide_details=True)
    preset = lv.preset(s.scenario)
    _caption(preset.description.get(lang) or preset.description["en"], "scenario-description")
    with solara.Row(style={"gap": "8px", "align-items": "flex-end", "flex-wrap": "wrap"}):
        solara.v.Select(label=t("ctl.scale", lang), v_model=s.scale, items=_scale_items(lang),
                        on_v_model=guard(on_scale, report, lang), dense=True,
                        hide_details=True, style_="min-width: 200px; flex: 1 1 200px",
                        attributes={"data-testid": "scale-select"})
        solara.InputText(t("ctl.seed", lang), value=str(s.seed), continuous_update=False,
                         on_value=guard(on_seed, report_seed, lang),
                         style={"max-width": "150px"}, classes=["typed-seed"])
    _caption(t("ctl.scale_hint", lang))
    if messages.value.get("seed"):
        _caption(messages.value["seed"], "seed-error", colour="#c62828")
    solara.HTML(tag="h3", unsafe_innerHTML=t("ctl.levers", lang),
                style={"margin": "10px 0 2px 0"})
    _caption(t("ctl.levers_hint", lang))
    open_panels = solara.use_reactive([0, 1, 2, 3])
    if not levers_ready:
        _caption(t("ctl.levers_loading", lang), "levers-loading")
        return
    with solara.v.ExpansionPanels(multiple=True, v_model=open_panels.value,
                                  on_v_model=open_panels.set, accordion=True,
                                  attributes={"data-testid": "levers"}):
        for agency, group in lv.by_agency().items():
            with solara.v.ExpansionPanel():
                solara.v.ExpansionPanelHeader(children=[t(f"agency.{agency}", lang)],
                                              class_="font-weight-bold")
                with solara.v.ExpansionPanelContent():
                    for meta in group:
                        name = meta.name
                        untouched = s.levers.get(name) == running.levers.get(name)
                        value = in_force.get(name, s.levers[name]) if untouched \
                            else s.levers[name]
                        history = _history(meta, events, schedule, month,
                                           running.levers.get(name), s.start_year, lang) \
                            if untouched else ""
                        LeverInput(meta, value,
                                   guard(lambda ev, m=meta: on_lever(m, ev), report, lang),
                                   lang, s.start_year, s.end_year, messages.value.get(name),
                                   history)
