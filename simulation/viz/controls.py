"""The sidebar: language, scenario preset, seed, scale and the levers grouped by agency.

Edits change a *draft* :class:`~simulation.viz.session.Settings`; the run restarts with
it on the next Play, Step or Reset (choosing a preset restarts at once). Widgets only
offer values inside each lever's range; :func:`simulation.viz.levers.clean` checks again
on the server before the model is built.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import solara

from simulation.viz import levers as lv
from simulation.viz.i18n import has, number, t
from simulation.viz.session import SCALES, Settings


def _caption(text: str) -> None:
    solara.HTML(tag="div", unsafe_innerHTML=text,
                style={"font-size": "12px", "color": "#555", "margin": "0 0 10px 0",
                       "line-height": "1.35"})


def _value_text(lever: lv.Lever, value: Any, lang: str) -> str:
    if lever.kind == "float":
        digits = 0 if lever.step >= 1 else (3 if lever.step < 0.01 else 2)
        return number(float(value), digits, lang)
    return number(int(value), 0, lang)


@solara.component
def LeverInput(lever: lv.Lever, value: Any, on_value: Callable[[Any], None], lang: str,
               start_year: int, end_year: int) -> None:
    """One lever with its label, unit, allowed range and explanation."""
    label = t(f"lever.{lever.name}.label", lang)
    unit = t(f"lever.{lever.name}.unit", lang)
    help_ = t(f"lever.{lever.name}.help", lang)
    if lever.kind in ("float", "int"):
        slider = solara.SliderFloat if lever.kind == "float" else solara.SliderInt
        solara.HTML(tag="div", unsafe_innerHTML=(
            f"{label}: <b data-testid='value-{lever.name}'>{_value_text(lever, value, lang)}"
            f"</b> {unit}"), style={"font-size": "14px", "margin-top": "6px"})
        with solara.Div(attributes={"data-testid": f"lever-{lever.name}"},
                        style={"margin": "-10px 0 -14px 0"}):
            slider("", value=value, min=lever.lo, max=lever.slider_hi, step=lever.step,
                   on_value=on_value, thumb_label=False)
        rng = t("ctl.range", lang, lo=number(lever.lo, 0 if lever.step >= 1 else 2, lang),
                hi=number(lever.slider_hi, 0 if lever.step >= 1 else 2, lang))
    elif lever.kind == "bool":
        solara.Switch(label=f"{label} ({unit})", value=bool(value), on_value=on_value)
        rng = f"{t('ctl.off', lang)} / {t('ctl.on', lang)}"
    elif lever.kind == "switch":
        solara.Switch(label=f"{label} ({unit})", value=value == "on",
                      on_value=lambda v: on_value("on" if v else "off"))
        rng = f"{t('ctl.off', lang)} / {t('ctl.on', lang)}"
    else:  # year: 0 = none, else within the horizon
        items = [{"text": t("ctl.never", lang), "value": 0}] + [
            {"text": str(y), "value": y} for y in range(start_year, end_year)]
        with solara.Div(style={"margin-top": "12px"}):
            solara.v.Select(label=f"{label} ({unit})", items=items, v_model=int(value),
                            on_v_model=lambda v: on_value(int(v)), dense=True)
        rng = t("ctl.range", lang, lo=start_year, hi=end_year - 1)
    _caption(f"{help_} <i>({rng})</i>")


def _scenario_title(name: str, lang: str) -> str:
    return t(f"scenario.{name}", lang) if has(f"scenario.{name}") else name


@solara.component
def Sidebar(draft: solara.Reactive[Settings], lang: str,
            on_preset: Callable[[str], None]) -> None:
    """Scenario preset, seed, scale and levers; edits go to ``draft``."""
    s = draft.value

    def set_field(**changes: Any) -> None:
        draft.set(dataclasses.replace(draft.value, **changes))

    def set_lever(name: str, value: Any) -> None:
        set_field(levers={**draft.value.levers, name: value})

    names = lv.preset_names()
    solara.v.Select(label=t("ctl.scenario", lang), v_model=s.scenario,
                    items=[{"text": _scenario_title(n, lang), "value": n} for n in names],
                    on_v_model=on_preset, attributes={"data-testid": "scenario-select"})
    if has(f"scenario.{s.scenario}.desc"):
        desc = t(f"scenario.{s.scenario}.desc", lang)
    else:
        desc = lv.preset(s.scenario).description
        if lang == "id" and desc:
            desc += " " + t("scenario.desc_en_only", lang)
    _caption(desc)
    schedule = lv.preset(s.scenario).schedule
    if schedule:
        items = "".join(
            f"<li>{date}: " + ", ".join(
                f"{t(f'lever.{k}.label', lang) if has(f'lever.{k}.label') else k} = {v}"
                for k, v in changes.items()) + "</li>"
            for date, changes in sorted(schedule.items()))
        _caption(f"{t('ctl.schedule', lang)}<ul data-testid='schedule'>{items}</ul>")
    with solara.Row(style={"gap": "8px"}):
        solara.v.Select(label=t("ctl.scale", lang), v_model=s.scale, items=list(SCALES),
                        on_v_model=lambda v: set_field(scale=int(v)), dense=True,
                        style_="max-width: 150px")
        solara.InputInt(t("ctl.seed", lang), value=s.seed,
                        on_value=lambda v: set_field(seed=int(v)) if v is not None else None)
    _caption(t("ctl.scale_hint", lang))
    solara.HTML(tag="h3", unsafe_innerHTML=t("ctl.levers", lang))
    _caption(t("ctl.levers_hint", lang))
    open_panels = solara.use_reactive([0, 1])
    with solara.v.ExpansionPanels(multiple=True, v_model=open_panels.value,
                                  on_v_model=open_panels.set, accordion=True):
        for agency, group in lv.by_agency().items():
            with solara.v.ExpansionPanel():
                solara.v.ExpansionPanelHeader(children=[t(f"agency.{agency}", lang)],
                                              class_="font-weight-bold")
                with solara.v.ExpansionPanelContent():
                    for lever in group:
                        LeverInput(lever, s.levers[lever.name],
                                   lambda v, n=lever.name: set_lever(n, v), lang,
                                   s.start_year, s.end_year)
