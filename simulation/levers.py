"""The policy levers as a list with their metadata (agency, unit, range, default).

Used by the lever documentation check, the browser view and reports, so that all of them
read the same facts from the configuration schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulation.config import PolicySection, ScenarioSection

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
