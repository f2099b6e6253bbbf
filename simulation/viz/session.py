"""One browser session's simulation: the scenario run and its baseline, stepped together.

A :class:`Session` is created per browser session (never shared). It holds the run built
from the chosen scenario and levers, and a baseline run (the calibrated default with the
same seed, scale and horizon) that is advanced to the same month, so every indicator can
be shown against the baseline. Lever values are checked by :func:`levers.clean` before
the model is built; model errors surface as :class:`SessionError` with a readable message.
The page draws from :class:`Snapshot` copies taken under the session's lock after each
build or step, never from the model that Play may be stepping in another thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from simulation.model import BlitarModel
from simulation.model.indicators import COLUMNS, indicators
from simulation.results import provenance
from simulation.scenarios import ConfigError, available_scenarios
from simulation.viz import levers as lv
from simulation.viz import mapdata as md

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
            raise SessionError("err.choice", label="ctl.scale", value=self.scale,
                               allowed=", ".join(map(str, SCALES)))
        if not 0 <= int(self.seed) < 2**63:
            raise SessionError("err.range", label="ctl.seed", value=self.seed, lo=0,
                               hi=2**63 - 1)
        return {"scenario": self.scenario, "seed": int(self.seed), "scale": self.scale,
                "start_year": self.start_year, "end_year": self.end_year, **clean}


def _build(kwargs: dict[str, Any]) -> BlitarModel:
    try:
        return BlitarModel(**kwargs)
    except (ConfigError, TypeError, ValueError) as exc:
        raise SessionError("err.model", msg=str(exc)) from exc


def _baseline_key(name: str, s: Settings) -> tuple[Any, ...]:
    return (name, int(s.seed), s.scale, s.start_year, s.end_year)


def _build_baseline(name: str, s: Settings) -> BlitarModel:
    """The baseline run for ``s``: scenario ``name`` with the same seed, scale and horizon."""
    return _build({"scenario": name, "seed": int(s.seed), "scale": s.scale,
                   "start_year": s.start_year, "end_year": s.end_year})


def _agent_state(model: BlitarModel, kind: str, row: int) -> dict[str, Any] | None:
    if kind == "firm":
        agent = model.firm_agents.get(int(row))
    elif 0 <= int(row) < len(model.household_agents):
        agent = model.household_agents[int(row)]
    else:
        agent = None
    return None if agent is None else agent.state()


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What the page shows of a session at one month, copied under the session lock.

    Play steps the model in another thread while the page renders, so the components
    draw from the latest snapshot (:attr:`Session.snapshot`) only, never from the live
    model: cards, charts, map and inspector then always show the same month."""

    settings: Settings
    baseline_name: str
    month: int
    n_steps: int
    values: dict[str, tuple[float, float]]               # indicator -> (run, baseline) now
    series: dict[str, tuple[np.ndarray, np.ndarray]]     # months 1..month, run and baseline
    map: md.MapState
    selected: tuple[str, int] | None = None               # the inspected agent (kind, row)
    agent: dict[str, Any] | None = None                   # its state (None: gone / none)

    @classmethod
    def take(cls, session: Session, model: BlitarModel, baseline: BlitarModel,
             run0: dict[str, float], base0: dict[str, float], settings: Settings,
             selected: tuple[str, int] | None) -> Snapshot:
        """Copy what the page needs; hold ``session.lock`` unless the models are private."""
        k = model.month
        values, series = {}, {}
        for name in COLUMNS:
            run, base = model.recorder.data[name], baseline.recorder.data[name]
            values[name] = ((float(run0[name]), float(base0[name])) if k == 0
                            else (float(run[k - 1]), float(base[k - 1])))
            series[name] = (run[:k].copy(), base[:k].copy())
        agent = _agent_state(model, *selected) if selected else None
        return cls(settings, session.baseline_name, k, model.cfg.n_steps, values, series,
                   md.MapState.from_model(model), selected, agent)

    @property
    def finished(self) -> bool:
        return self.month >= self.n_steps

    def value(self, name: str, baseline: bool = False) -> float:
        """An indicator at this month (month 0 = the starting state)."""
        return self.values[name][1 if baseline else 0]

    def series_of(self, name: str, baseline: bool = False) -> np.ndarray:
        """Monthly values (months 1..month)."""
        return self.series[name][1 if baseline else 0]

    def date_label(self, start_word: str = "start") -> str:
        """The month last simulated as YYYY-MM (or the start, before any step)."""
        k, y0 = self.month, self.settings.start_year
        year, month = y0 + max(k - 1, 0) // 12, max(k - 1, 0) % 12 + 1
        return f"{year}-{month:02d}" if k else f"{y0}-01 ({start_word})"


class Session:
    """A run and its baseline, for one browser session.

    ``lock`` guards the models: :meth:`step`, :meth:`rebuild`, :meth:`select` and the
    exports hold it; each of them that changes what the page shows publishes a new
    :attr:`snapshot` (one attribute assignment, so a reader never sees half of one)."""

    def __init__(self, settings: Settings) -> None:
        self.lock = threading.RLock()
        self.baseline_name = baseline_scenario()
        self.selected: tuple[str, int] | None = None
        t0 = time.perf_counter()
        kwargs = settings.model_kwargs()
        self.settings = settings
        self.model = _build(kwargs)
        self.run0 = indicators(self.model)
        self.baseline = _build_baseline(self.baseline_name, settings)
        self.base0 = indicators(self.baseline)
        self._baseline_key = _baseline_key(self.baseline_name, settings)
        self.build_seconds = time.perf_counter() - t0
        self.started = datetime.now(UTC)
        self.step_seconds = 0.0
        self.snapshot = self._take()

    def _take(self) -> Snapshot:
        with self.lock:
            return Snapshot.take(self, self.model, self.baseline, self.run0, self.base0,
                                 self.settings, self.selected)

    # --- building --------------------------------------------------------------------
    def rebuild(self, settings: Settings) -> None:
        """Start again from month 0 with new settings (the baseline is kept if unchanged).

        The new run and baseline are built first and swapped in, with the settings, only
        when both succeeded: on any error the previous run, baseline and settings stay."""
        kwargs = settings.model_kwargs()
        key = _baseline_key(self.baseline_name, settings)
        with self.lock:
            model = _build(kwargs)
            run0 = indicators(model)
            if key == self._baseline_key:  # deterministic: months ahead are still right
                baseline, base0 = self.baseline, self.base0
            else:
                baseline = _build_baseline(self.baseline_name, settings)
                base0 = indicators(baseline)
            snap = Snapshot.take(self, model, baseline, run0, base0, settings, self.selected)
            # nothing below can fail: swap everything together
            self.settings, self.model, self.run0 = settings, model, run0
            self.baseline, self.base0, self._baseline_key = baseline, base0, key
            self.started = datetime.now(UTC)
            self.snapshot = snap

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
            try:
                while done < n and not self.finished:
                    self.model.step()
                    done += 1
                while self.baseline.month < self.model.month:
                    self.baseline.step()
            except Exception:
                with contextlib.suppress(Exception):  # show what there is; report the error
                    self.snapshot = self._take()
                raise
            self.snapshot = self._take()
            self.step_seconds = (time.perf_counter() - t0) / max(done, 1)
            return done

    def select(self, kind: str | None, row: int = -1) -> Snapshot:
        """Inspect a firm or household (``kind`` None: nothing); returns the new snapshot."""
        with self.lock:
            self.selected = (kind, int(row)) if kind else None
            agent = _agent_state(self.model, kind, row) if kind else None
            self.snapshot = dataclasses.replace(self.snapshot, selected=self.selected,
                                                agent=agent)
            return self.snapshot

    # --- results ---------------------------------------------------------------------
    def value(self, name: str, baseline: bool = False) -> float:
        """An indicator at the current month (month 0 = the starting state)."""
        return self.snapshot.value(name, baseline)

    def series(self, name: str, baseline: bool = False) -> np.ndarray:
        """Monthly values so far (months 1..current)."""
        return self.snapshot.series_of(name, baseline)

    def date_label(self, start_word: str = "start") -> str:
        """The month last simulated as YYYY-MM (or the start, before any step)."""
        return self.snapshot.date_label(start_word)

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
        """The state of a firm or household now (None if it no longer exists)."""
        with self.lock:
            return _agent_state(self.model, kind, row)
