"""One browser session's simulation: the scenario run and its baseline, stepped together.

A :class:`Session` is created per browser session (never shared). It holds the run built
from the chosen scenario and levers, and a baseline run (the calibrated default with the
same seed, scale and horizon) that is advanced to the same month, so every indicator can
be shown against the baseline. Lever values are checked by :func:`levers.clean` before
the model is built; model errors surface as :class:`SessionError` with a readable message.
"""

from __future__ import annotations

import io
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from simulation import provenance
from simulation.metrics import COLUMNS, indicators
from simulation.model import BlitarModel
from simulation.scenarios import ConfigError, available_scenarios
from simulation.viz import levers as lv

# (indicator, pillar, higher is better, display multiplier, decimals)
CARDS: tuple[tuple[str, str, bool, float, int], ...] = (
    ("grdp", "economy", True, 1.0, 1),
    ("employment_manufacturing", "economy", True, 1.0, 0),
    ("unemployment_rate", "economy", False, 100.0, 2),
    ("emissions_air", "environment", False, 1.0, 2),
    ("emissions_water", "environment", False, 1.0, 2),
    ("exposure_population_weighted", "environment", False, 1.0, 2),
    ("river_concentration_downstream", "environment", False, 1.0, 2),
    ("mean_health", "social", True, 1.0, 3),
    ("income_gini", "social", False, 1.0, 3),
    ("complaints", "social", False, 1.0, 0),
)
SCALES = (50, 20, 10, 5, 2, 1)
DEFAULT_SCALE = 20


def baseline_scenario() -> str:
    """The scenario runs are compared with: ``baseline`` if it exists, else ``blitar``."""
    return "baseline" if "baseline" in available_scenarios() else "blitar"


class SessionError(RuntimeError):
    """A problem to show in the page (the model rejected the settings, the run is over)."""

    def __init__(self, key: str, **fmt: Any) -> None:
        super().__init__(f"{key}: {fmt}")
        self.key, self.fmt = key, fmt


@dataclass
class Settings:
    """What defines a run: scenario preset, lever values, seed and scale."""

    scenario: str = "blitar"
    levers: dict[str, Any] = field(default_factory=dict)
    seed: int = 20250101
    scale: int = DEFAULT_SCALE
    start_year: int = 2025
    end_year: int = 2045

    @classmethod
    def from_preset(cls, name: str, scale: int = DEFAULT_SCALE,
                    seed: int | None = None) -> Settings:
        p = lv.preset(name)
        return cls(name, dict(p.levers), p.seed if seed is None else seed, scale,
                   p.start_year, p.end_year)

    def model_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :class:`BlitarModel`, levers checked first."""
        clean = lv.clean(self.levers, self.start_year, self.end_year)
        if self.scale not in SCALES:
            raise SessionError("err.range", label="scale", value=self.scale, lo=1, hi=50)
        if not 0 <= int(self.seed) < 2**63:
            raise SessionError("err.range", label="seed", value=self.seed, lo=0, hi=2**63 - 1)
        return {"scenario": self.scenario, "seed": int(self.seed), "scale": self.scale,
                "start_year": self.start_year, "end_year": self.end_year, **clean}


def _build(kwargs: dict[str, Any]) -> BlitarModel:
    try:
        return BlitarModel(**kwargs)
    except (ConfigError, TypeError, ValueError) as exc:
        raise SessionError("err.model", msg=str(exc)) from exc


class Session:
    """A run and its baseline, for one browser session."""

    def __init__(self, settings: Settings) -> None:
        self.lock = threading.RLock()
        self.settings = settings
        self.baseline_name = baseline_scenario()
        t0 = time.perf_counter()
        self.model = _build(settings.model_kwargs())
        self._baseline_key: tuple[Any, ...] | None = None
        self.baseline: BlitarModel | None = None
        self._ensure_baseline()
        self.build_seconds = time.perf_counter() - t0
        self.started = datetime.now(UTC)
        self.step_seconds = 0.0

    # --- building --------------------------------------------------------------------
    def _ensure_baseline(self) -> None:
        s = self.settings
        key = (self.baseline_name, s.seed, s.scale, s.start_year, s.end_year)
        if key != self._baseline_key:
            self.baseline = _build({"scenario": self.baseline_name, "seed": int(s.seed),
                                    "scale": s.scale, "start_year": s.start_year,
                                    "end_year": s.end_year})
            self.base0 = indicators(self.baseline)
            self._baseline_key = key
        self.run0 = indicators(self.model)

    def rebuild(self, settings: Settings) -> None:
        """Start again from month 0 with new settings (the baseline is kept if unchanged).

        On error the previous run stays in place."""
        kwargs = settings.model_kwargs()
        with self.lock:
            model = _build(kwargs)
            old = self.settings
            self.settings, self.model = settings, model
            try:
                self._ensure_baseline()
            except SessionError:
                self.settings = old
                raise
            self.started = datetime.now(UTC)

    # --- stepping --------------------------------------------------------------------
    @property
    def month(self) -> int:
        return self.model.month

    @property
    def n_steps(self) -> int:
        return self.model.cfg.n_steps

    @property
    def finished(self) -> bool:
        return self.model.month >= self.n_steps

    def step(self, n: int = 1) -> int:
        """Advance the run (and the baseline to the same month) by up to ``n`` months."""
        with self.lock:
            if self.finished:
                raise SessionError("err.end")
            t0 = time.perf_counter()
            done = 0
            while done < n and not self.finished:
                self.model.step()
                done += 1
            while self.baseline.month < self.model.month:
                self.baseline.step()
            self.step_seconds = (time.perf_counter() - t0) / max(done, 1)
            return done

    # --- results ---------------------------------------------------------------------
    def value(self, name: str, baseline: bool = False) -> float:
        """An indicator at the run's current month (month 0 = the starting state)."""
        k = self.model.month
        if k == 0:
            return float((self.base0 if baseline else self.run0)[name])
        m = self.baseline if baseline else self.model
        return float(m.recorder.data[name][k - 1])

    def series(self, name: str, baseline: bool = False) -> np.ndarray:
        """Monthly values so far (months 1..current)."""
        m = self.baseline if baseline else self.model
        return m.recorder.data[name][: self.model.month]

    def date_label(self, start_word: str = "start") -> str:
        """The month last simulated as YYYY-MM (or the start, before any step)."""
        k = self.model.month
        year = self.settings.start_year + max(k - 1, 0) // 12
        month = max(k - 1, 0) % 12 + 1
        return f"{year}-{month:02d}" if k else f"{self.settings.start_year}-01 ({start_word})"

    def timeseries_csv(self) -> bytes:
        """The run's monthly indicators with the baseline's as ``baseline_*`` columns."""
        with self.lock:
            df = self.model.timeseries()
            base = self.baseline.timeseries().iloc[: len(df)]
        for name in COLUMNS:
            if name != "step":
                df[f"baseline_{name}"] = base[name].to_numpy()
        buf = io.StringIO()
        df.to_csv(buf, index=False)
        return buf.getvalue().encode()

    def manifest(self) -> dict[str, Any]:
        """Provenance of the run as shown: settings, resolved config, versions, digests."""
        with self.lock:
            cfg = self.model.cfg
            df = self.model.timeseries()
            return {
                "manifest_version": 1,
                "source": "blitar-sim viz (browser session)",
                "scenario": cfg.scenario.name,
                "seed": cfg.scenario.seed,
                "scale": cfg.scenario.scale,
                "levers": lv.clean(self.settings.levers, self.settings.start_year,
                                   self.settings.end_year),
                "months_simulated": int(self.model.month),
                "baseline": {"scenario": self.baseline_name, "seed": cfg.scenario.seed,
                             "scale": cfg.scenario.scale},
                "config": cfg.model_dump(mode="json"),
                "map": {"path": str(self.model.city.path), "name": self.model.city.name,
                        "illustrative": self.model.city.illustrative},
                "versions": provenance.package_versions(),
                "git": provenance.git_state(),
                "platform": provenance.platform_info(),
                "timing": {"started": self.started.isoformat(),
                           "exported": datetime.now(UTC).isoformat()},
                "units": COLUMNS,
                "digests": {"timeseries": provenance.table_digest(df)},
                "forum_log": getattr(self.model.regulator, "forum_log", []),
            }

    def manifest_json(self) -> bytes:
        return json.dumps(self.manifest(), indent=2, default=str).encode()

    def agent_state(self, kind: str, row: int) -> dict[str, Any] | None:
        """The state of a firm or household (None if it no longer exists)."""
        with self.lock:
            if kind == "firm":
                agent = self.model.firm_agents.get(int(row))
            elif 0 <= int(row) < len(self.model.household_agents):
                agent = self.model.household_agents[int(row)]
            else:
                agent = None
            return None if agent is None else agent.state()
