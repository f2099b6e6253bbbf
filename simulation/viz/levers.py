"""The levers as the browser shows them, and validation of the values the page sends.

Lever metadata (unit, range, agency, kind, slider step and end) is the config's own
(:data:`simulation.config.levers.LEVERS`, :class:`~simulation.config.levers.FieldMeta`);
this module only converts between config values and what the page shows (percent, Rp)
using :data:`simulation.viz.i18n.LEVER_DISPLAY`. Values from the page are validated by the
config model itself (:meth:`Config.model_validate` in strict mode, over the chosen
scenario), so the browser accepts exactly what a scenario file accepts; a rejection
becomes a :class:`LeverError` with a plain message in the page's language. Presets are the
scenario files, with identical ones merged.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from simulation.config import Config
from simulation.config.levers import AGENCIES, LEVERS, FieldMeta, field_meta
from simulation.scenarios import available_scenarios, load_config
from simulation.viz.i18n import LEVER_DISPLAY, number, t

# settings of a run that are not levers but are validated the same way
SETTING_FIELDS = {"seed": field_meta("scenario", "seed"), "scale": field_meta("scenario", "scale")}
SETTING_LABELS = {"seed": "ctl.seed", "scale": "ctl.scale"}


def by_agency() -> dict[str, list[FieldMeta]]:
    """Levers grouped by owning agency (config order of agencies and fields)."""
    return {a: [m for m in LEVERS.values() if m.agency == a] for a in AGENCIES}


# --- display ------------------------------------------------------------------------
def scale_of(meta: FieldMeta) -> float:
    """Display units per config unit (100 for levers shown in percent)."""
    return 100.0 if LEVER_DISPLAY[meta.name].percent else 1.0


def digits_of(meta: FieldMeta) -> int:
    """Decimals that show the lever's slider step in display units."""
    step = (meta.ui_step or 1.0) * scale_of(meta)
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0


def to_display(meta: FieldMeta, value: float) -> float:
    return round(float(value) * scale_of(meta), digits_of(meta) + 2)


def from_display(meta: FieldMeta, shown: float) -> float | int:
    """Config value of a displayed number (int levers stay int when whole)."""
    value = shown / scale_of(meta)
    if meta.kind in ("int", "year") and isinstance(shown, float) and shown.is_integer():
        return int(shown)
    return value


def is_toggle(meta: FieldMeta) -> bool:
    """A yes/no lever (a switch on the page); other choice levers get a list."""
    return meta.kind == "bool" or (meta.kind == "switch" and set(meta.choices) == {"on", "off"})


def choice_text(meta: FieldMeta, choice: str, lang: str) -> str:
    return t(f"lever.{meta.name}.{choice}", lang)


def value_text(meta: FieldMeta, value: Any, lang: str) -> str:
    """A lever value as the page shows it, e.g. "Rp 2.000 per kg", "40 % biaya", "aktif"."""
    if meta.kind == "switch" and not is_toggle(meta):
        return choice_text(meta, str(value), lang)
    if meta.kind == "bool" or meta.kind == "switch":
        on = value is True or value == "on"
        return t("ctl.on" if on else "ctl.off", lang)
    if meta.kind == "year":
        return t("ctl.never", lang) if not value else str(int(value))
    d = LEVER_DISPLAY[meta.name]
    return (f"{d.prefix}{number(to_display(meta, value), digits_of(meta), lang)}"
            f"{d.text('suffix', lang)}")


def range_text(meta: FieldMeta, lang: str, start_year: int = 2025, end_year: int = 2045,
               slider: bool = False) -> str:
    """The allowed values in words, e.g. "Rp 0 – Rp 200.000 per kg"."""
    if meta.kind == "switch" and not is_toggle(meta):
        return " / ".join(choice_text(meta, c, lang) for c in meta.choices)
    if meta.kind in ("bool", "switch"):
        return f"{t('ctl.off', lang)} / {t('ctl.on', lang)}"
    if meta.kind == "year":
        return f"{start_year} – {end_year - 1}"
    d = LEVER_DISPLAY[meta.name]
    hi = meta.slider_max if slider else meta.high
    lo_s = number(to_display(meta, meta.low), digits_of(meta), lang)
    hi_s = number(to_display(meta, hi), digits_of(meta), lang)
    return f"{d.prefix}{lo_s} – {d.prefix}{hi_s}{d.text('suffix', lang)}"


_NUMBER = re.compile(r"[+\-\u2212]?\d[\d.,]*")


def parse_typed(text: Any, lang: str) -> float | int | str:
    """A number typed in a box, in the page's style ("10.000", "0,5", "Rp 2.000", "40 %");
    the text itself (stripped) if it is not a number, for the validator to reject."""
    raw = str(text).strip() if text is not None else ""
    s = raw.replace("Rp", "").replace("%", "").replace(" ", "").replace("\u00a0", "")
    if not _NUMBER.fullmatch(s):
        return raw
    s = s.replace("\u2212", "-")
    if lang == "id":
        thousands, decimal = ".", ","
    else:
        thousands, decimal = ",", "."
    # a lone separator followed by exactly three digits groups thousands ("2.000");
    # otherwise the other separator may be used as the decimal mark ("0.5" on an id page)
    if decimal not in s and s.count(thousands) == 1 and not re.search(
            rf"\{thousands}\d{{3}}$", s):
        s = s.replace(thousands, decimal)
    if s.count(decimal) > 1:
        return raw
    grouped = s.split(decimal)[0]
    if thousands in grouped and not re.fullmatch(rf"[+-]?\d{{1,3}}(\{thousands}\d{{3}})+",
                                                 grouped):
        return raw
    s = s.replace(thousands, "").replace(decimal, ".")
    value = float(s)
    return int(value) if "." not in s and abs(value) < 2**63 else value


# --- validation ---------------------------------------------------------------------
class LeverError(ValueError):
    """A value from the page that the config rejects. ``reason``: number, integer,
    choice, range or year; ``name``: a lever name or "seed"/"scale"."""

    def __init__(self, name: str, value: Any, reason: str, allowed: tuple[Any, ...] = ()
                 ) -> None:
        super().__init__(f"{name} = {value!r}: {reason}")
        self.name, self.value, self.reason, self.allowed = name, value, reason, allowed

    def text(self, lang: str, start_year: int = 2025, end_year: int = 2045) -> str:
        """The message for the page, e.g. "Pungutan emisi: “abc” bukan angka. ..."."""
        if self.name in LEVERS:
            meta = LEVERS[self.name]
            label = t(f"lever.{self.name}.label", lang)
            rng = range_text(meta, lang, start_year, end_year)
            shown = (value_text(meta, self.value, lang) if self.reason == "range"
                     else str(self.value) if self.reason == "year" else _plain(self.value, lang))
        else:
            label = t(SETTING_LABELS[self.name], lang)
            meta = SETTING_FIELDS[self.name]
            rng = (", ".join(map(str, self.allowed)) if self.allowed
                   else t("ctl.seed_hint", lang))
            shown = _plain(self.value, lang)
        if self.reason == "range" and meta.kind in ("float", "int") and self.name in LEVERS:
            rng = range_text(meta, lang, start_year, end_year)
        return t(f"err.{self.reason}", lang, label=label, value=shown, range=rng)


def _plain(value: Any, lang: str) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        if float(value).is_integer():
            return number(value, 0, lang)
        return number(value, 3, lang).rstrip("0")
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


@functools.cache
def _scenario_dump(name: str) -> dict[str, Any]:
    return load_config(name).model_dump(mode="python")


def _base_data(name: str) -> dict[str, Any]:
    """The resolved scenario as plain data (a fresh copy each call)."""
    return copy.deepcopy(_scenario_dump(name))


def _reason(err: dict[str, Any], meta: FieldMeta, value: Any) -> str:
    kind = err["type"]
    if isinstance(value, float) and not math.isfinite(value):
        return "number"
    if kind == "value_error" and meta.kind == "year":
        return "year"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return "year" if meta.kind == "year" else "range"
    if kind in ("literal_error", "bool_type", "bool_parsing"):
        return "choice"
    if kind.startswith("int") or (meta.kind in ("int", "year") and isinstance(value, float)):
        return "integer"
    return "number"


def _named(err: dict[str, Any], names: list[str]) -> str | None:
    loc = [p for p in err["loc"] if isinstance(p, str)]
    if loc and loc[-1] in names:
        return loc[-1]
    for name in names:  # model-level rules (e.g. a year outside the horizon) name the key
        key = LEVERS[name].key if name in LEVERS else f"scenario.{name}"
        if key in err.get("msg", ""):
            return name
    return None


def validate(scenario: str, levers: dict[str, Any], **settings: Any) -> Config:
    """The Config of ``scenario`` with ``levers`` and ``settings`` (seed, scale, start_year,
    end_year), validated strictly by :class:`Config`; :class:`LeverError` on the first
    rejected value (unknown names are a KeyError: the page only sends known ones)."""
    data = _base_data(scenario)
    for name, value in levers.items():
        if name not in LEVERS:
            raise KeyError(f"unknown lever {name!r}")
        data[LEVERS[name].section][name] = value
    for name, value in settings.items():
        data["scenario"][name] = value
    try:
        return Config.model_validate(data, strict=True)
    except ValidationError as exc:
        names = list(levers) + [n for n in settings if n in SETTING_FIELDS]
        for err in exc.errors():
            name = _named(err, names)
            if name is None:
                continue
            meta = LEVERS.get(name) or SETTING_FIELDS[name]
            value = levers.get(name, settings.get(name))
            reason = _reason(err, meta, value)
            if name == "seed" and reason == "range":
                reason = "integer"
            raise LeverError(name, value, reason) from None
        raise


def check_one(scenario: str, name: str, value: Any, start_year: int, end_year: int) -> Any:
    """One lever value as the config stores it (LeverError if rejected)."""
    cfg = validate(scenario, {name: value}, start_year=start_year, end_year=end_year)
    return getattr(getattr(cfg, LEVERS[name].section), name)


# --- presets ------------------------------------------------------------------------
@dataclass(frozen=True)
class Preset:
    """A named scenario as a starting point: lever values, horizon, seed, descriptions
    (``{"id": ..., "en": ...}``) and its dated lever changes."""

    name: str
    levers: dict[str, Any]
    start_year: int
    end_year: int
    seed: int
    description: dict[str, str]
    schedule: dict[str, dict[str, Any]]


def preset(name: str) -> Preset:
    """Read a named scenario (whatever ``simulation/scenarios/*.toml`` holds at run time)."""
    cfg = load_config(name)
    values = {n: getattr(getattr(cfg, m.section), n) for n, m in LEVERS.items()}
    s = cfg.scenario
    return Preset(name, values, s.start_year, s.end_year, s.seed,
                  {"id": " ".join(s.description_id.split()), "en": " ".join(s.description.split())},
                  dict(cfg.schedule))


def same_run(cfg: Config) -> str:
    """What makes two configs the same run: the resolved config without its names and
    descriptions (JSON text, usable as a key)."""
    data = cfg.model_dump(mode="json")
    for key in ("name", "description", "description_id"):
        data["scenario"].pop(key, None)
    return json.dumps(data, sort_keys=True)


def preset_names() -> list[str]:
    """Named scenarios, the calibrated default first; a scenario identical to an earlier
    one (e.g. ``baseline``, a named copy of ``blitar``) is listed once."""
    names = sorted(available_scenarios(), key=lambda n: (n != "blitar", n))
    seen: set[str] = set()
    out = []
    for name in names:
        key = same_run(load_config(name))
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def in_force(model: Any) -> dict[str, Any]:
    """Every lever's value in force in a model now (the schedule and the forum change
    policy levers while it runs; the scenario's own levers stay as configured)."""
    policy = model.regulator.levers
    return {n: getattr(policy, n) if m.section == "policy" else getattr(model.cfg.scenario, n)
            for n, m in LEVERS.items()}
