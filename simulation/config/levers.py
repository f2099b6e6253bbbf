"""Parameter and lever metadata: one reader of the config schema for every view of it.

Each field is declared once, with :func:`simulation.config.params.param` (unit, source,
range, and for levers the owning agency and UI hints). :func:`field_meta` turns a field
into a :class:`FieldMeta`; :data:`LEVERS` lists the policy levers (fields with an agency).
The CLI's error messages, the scenario loader, sweep studies, the browser view and the
docs generator all read these, so a lever's agency, unit or range cannot drift between
them (``tests/test_levers_doc.py`` checks every view).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from simulation.config.policy import DISPERINDAG, DLH, DPMPTSP, NAKER, PolicySection
from simulation.config.scenario import ScenarioSection
from simulation.config.schema import Config

AGENCIES = (DISPERINDAG, DLH, DPMPTSP, NAKER)
Kind = Literal["float", "int", "bool", "switch", "year", "text", "other"]


@dataclass(frozen=True)
class FieldMeta:
    """What the schema says about one config field."""

    key: str                 # "section.field", e.g. "policy.emission_charge"
    unit: str
    source: str
    kind: Kind
    low: float | None        # lower bound (inclusive unless low_open)
    high: float | None       # upper bound (inclusive unless high_open)
    low_open: bool
    high_open: bool
    default: Any
    choices: tuple[str, ...] = ()   # for "switch" fields
    agency: str | None = None       # set for levers
    ui_step: float | None = None
    ui_max: float | None = None

    @property
    def name(self) -> str:
        return self.key.rsplit(".", 1)[1]

    @property
    def section(self) -> str:
        return self.key.rsplit(".", 1)[0]

    @property
    def is_lever(self) -> bool:
        return self.agency is not None

    @property
    def slider_max(self) -> float | None:
        return self.ui_max if self.ui_max is not None else self.high

    def range_text(self) -> str:
        """The allowed values in words, e.g. "[0, 200000]", "(0, 1)", "off / on"."""
        if self.kind == "switch":
            return " / ".join(self.choices)
        if self.kind == "bool":
            return "false / true"
        if self.low is None and self.high is None:
            return "text" if self.kind == "text" else "any"
        lo = "-inf" if self.low is None else _num(self.low)
        hi = "inf" if self.high is None else _num(self.high)
        return f"{'(' if self.low_open else '['}{lo}, {hi}{')' if self.high_open else ']'}"

    def bounds_text(self) -> str:
        """The bounds as comparisons, e.g. ">= 0.0 and <= 200000.0" ("" when unbounded)."""
        parts = []
        if self.low is not None:
            parts.append(f"{'>' if self.low_open else '>='} {self.low}")
        if self.high is not None:
            parts.append(f"{'<' if self.high_open else '<='} {self.high}")
        return " and ".join(parts)

    def contains(self, value: float) -> bool:
        """Whether a number lies in the allowed range (NaN never does)."""
        if not math.isfinite(value):
            return False
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return self.high is None or not (value > self.high
                                         or (self.high_open and value == self.high))

    def summary(self) -> str:
        """The one-line metadata shown in docs/levers.md under the lever's heading."""
        rng = f"{self.low} – {self.high}" if self.low is not None else \
            " / ".join(self.choices) if self.kind == "switch" else "false / true"
        return (f"**Agency:** {self.agency} · **Unit:** {self.unit} · **Range:** {rng} · "
                f"**Default:** {self.default}")


def _num(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _kind(info: Any, extra: dict[str, Any]) -> Kind:
    if extra.get("kind") == "year":
        return "year"
    ann = info.annotation
    if ann is bool:
        return "bool"
    if ann is int:
        return "int"
    if ann is float:
        return "float"
    if ann is str:
        return "text"
    if get_origin(ann) is Literal:
        return "switch"
    return "other"


def field_meta(section: str, name: str, model: type[BaseModel] | None = None) -> FieldMeta:
    """Metadata of ``section.name`` (``model``: the section's class, found from Config if
    not given)."""
    if model is None:
        model = Config.model_fields[section].annotation
    info = model.model_fields[name]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    low = high = None
    low_open = high_open = False
    for m in info.metadata:
        if getattr(m, "ge", None) is not None:
            low = m.ge
        if getattr(m, "gt", None) is not None:
            low, low_open = m.gt, True
        if getattr(m, "le", None) is not None:
            high = m.le
        if getattr(m, "lt", None) is not None:
            high, high_open = m.lt, True
    kind = _kind(info, extra)
    choices = tuple(get_args(info.annotation)) if kind == "switch" else ()
    return FieldMeta(key=f"{section}.{name}", unit=extra.get("unit", ""),
                     source=extra.get("source", ""), kind=kind, low=low, high=high,
                     low_open=low_open, high_open=high_open, default=info.default,
                     choices=choices, agency=extra.get("agency"), ui_step=extra.get("ui_step"),
                     ui_max=extra.get("ui_max"))


def all_levers() -> list[FieldMeta]:
    """Every policy lever (policy.* and scenario.* fields with an agency), schema order."""
    return [field_meta(section, name, model)
            for section, model in (("policy", PolicySection), ("scenario", ScenarioSection))
            for name, info in model.model_fields.items()
            if isinstance(info.json_schema_extra, dict) and "agency" in info.json_schema_extra]


LEVERS: dict[str, FieldMeta] = {lv.name: lv for lv in all_levers()}

# Backwards-compatible name: a lever is a field with an agency.
Lever = FieldMeta

_SCENARIO_KEYWORDS = ("seed", "scale", "start_year", "end_year", "big_plant_year",
                      "big_plant_jobs", "big_plant_kelurahan")
_PARAMETER_SECTIONS = ("population", "households", "labour", "informal", "economy",
                       "green_tech", "environment", "health", "budget", "forum")


def _bare_names() -> dict[str, str]:
    """Bare keyword -> config key: every policy lever, the scenario keywords, and every
    other parameter whose name is unique across sections (the Mesa-style flat interface
    of BlitarModel, run_scenario and batch_run)."""
    names = {f: f"policy.{f}" for f in PolicySection.model_fields}
    names |= {f: f"scenario.{f}" for f in _SCENARIO_KEYWORDS}
    seen: dict[str, list[str]] = {}
    for section in _PARAMETER_SECTIONS:
        for f in Config.model_fields[section].annotation.model_fields:
            seen.setdefault(f, []).append(f"{section}.{f}")
    names |= {f: keys[0] for f, keys in seen.items() if len(keys) == 1 and f not in names}
    return names


BARE_NAMES: dict[str, str] = _bare_names()
