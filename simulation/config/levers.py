"""The policy levers as a list with their metadata (agency, unit, range, default).

Used by the lever documentation check, the browser view and reports, so that all of them
read the same facts from the configuration schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulation.config.policy import PolicySection
from simulation.config.scenario import ScenarioSection
from simulation.config.schema import Config

AGENCIES = ("Disperindag", "DLH", "DPMPTSP", "Dinkop UM & Naker")


@dataclass(frozen=True)
class Lever:
    key: str            # config key, e.g. "policy.emission_charge"
    agency: str
    unit: str
    low: Any
    high: Any
    default: Any

    def summary(self) -> str:
        """The one-line metadata shown in docs/levers.md under the lever's heading."""
        rng = f"{self.low} – {self.high}" if self.low is not None else "off / on" \
            if self.unit == "off/on" else "false / true"
        return (f"**Agency:** {self.agency} · **Unit:** {self.unit} · **Range:** {rng} · "
                f"**Default:** {self.default}")


def _bounds(info: Any) -> tuple[Any, Any]:
    low = high = None
    for m in info.metadata:
        low = getattr(m, "ge", getattr(m, "gt", low))
        high = getattr(m, "le", getattr(m, "lt", high))
    return low, high


def all_levers() -> list[Lever]:
    out = []
    for section, model in (("policy", PolicySection), ("scenario", ScenarioSection)):
        for name, info in model.model_fields.items():
            extra = info.json_schema_extra or {}
            if not isinstance(extra, dict) or "agency" not in extra:
                continue
            low, high = _bounds(info)
            out.append(Lever(f"{section}.{name}", extra["agency"], extra["unit"], low, high,
                             info.default))
    return out


_SCENARIO_KEYWORDS = ("seed", "scale", "start_year", "end_year", "big_plant_year",
                      "big_plant_jobs", "big_plant_kelurahan")
_PARAMETER_SECTIONS = ("population", "labour", "economy", "green_tech", "environment",
                       "health", "budget")


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
