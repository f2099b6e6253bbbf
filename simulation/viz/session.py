"""One browser session's simulation: the scenario run, its baseline and their ensembles.

A :class:`Session` is created per browser tab (never shared). It steps the run built from
the chosen scenario and levers (validated by the config model, see :mod:`.levers`). The
baseline (the calibrated default with the same seed, scale and horizon) and the other
seeds of both ensembles are whole runs computed once per server in the background
(:mod:`.ensemble`); the interactive run is seed 0 of its ensemble. The page draws from
:class:`Snapshot` copies taken under the session's lock after each build, step or arrival
of ensemble runs, never from the model that Play may be stepping in another thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import itertools
import json
import os
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import numpy as np
from pydantic import ValidationError

from simulation.config import Config
from simulation.config.levers import LEVERS
from simulation.model import BlitarModel
from simulation.model.indicators import COLUMNS
from simulation.results import rundir
from simulation.results.stats import band, paired_difference, verdict
from simulation.scenarios import available_scenarios
from simulation.viz import ensemble as ens
from simulation.viz import kelurahan as kv
from simulation.viz import levers as lv
from simulation.viz import mapdata as md
from simulation.viz import warm

# which indicators the cards and charts show, and with how many decimals (name, pillar,
# unit and direction come from the indicator registry)
CARDS: tuple[tuple[str, int], ...] = (
    ("grdp", 1), ("employment_manufacturing", 0), ("unemployment_rate", 1),
    ("green_share", 1), ("emissions_air", 1), ("emissions_water", 1),
    ("river_concentration_downstream", 2), ("exposure_population_weighted", 2),
    ("mean_health", 3), ("income_gini", 3), ("complaints", 0),
)
SHOWN = tuple(name for name, _ in CARDS)
# the environmental standard drawn on an indicator's chart (a field of cfg.environment)
STANDARDS = {"exposure_population_weighted": "air_standard",
             "river_concentration_downstream": "water_standard_mg_l"}
SCALES = (1, 2, 5, 10, 20)
DEFAULT_SCALE = 1  # full scale; BLITAR_VIZ_SCALE may choose another of SCALES (tests, demos)


def default_scale() -> int:
    """The scale a new tab starts with: ``BLITAR_VIZ_SCALE`` if it is one of SCALES."""
    text = os.environ.get("BLITAR_VIZ_SCALE", "")
    return int(text) if text.isdigit() and int(text) in SCALES else DEFAULT_SCALE


def baseline_scenario() -> str:
    """The scenario runs are compared with: ``baseline`` if it exists, else ``blitar``."""
    return "baseline" if "baseline" in available_scenarios() else "blitar"


class SessionError(RuntimeError):
    """A problem to show in the page (the run is over, the model refused the settings)."""

    def __init__(self, key: str, **fmt: Any) -> None:
        super().__init__(f"{key}: {fmt}")
        self.key, self.fmt = key, fmt


@dataclass
class Settings:
    """What defines a run: scenario preset, lever values, seed and scale."""

    scenario: str = "blitar"
    levers: dict[str, Any] = field(default_factory=dict)
    seed: int = 20250101
    scale: int = field(default_factory=default_scale)
    start_year: int = 2025
    end_year: int = 2045

    @classmethod
    def from_preset(cls, name: str, scale: int | None = None,
                    seed: int | None = None) -> Settings:
        p = lv.preset(name)
        return cls(name, dict(p.levers), p.seed if seed is None else seed,
                   default_scale() if scale is None else scale, p.start_year, p.end_year)

    def _check_scale(self) -> None:
        if self.scale not in SCALES or isinstance(self.scale, bool):
            raise lv.LeverError("scale", self.scale, "choice", SCALES)

    def config(self) -> Config:
        """The run's Config, validated by the config model (LeverError if a value is not
        allowed)."""
        return self._validated(self.scenario, self.levers)

    def baseline_config(self, name: str) -> Config:
        return self._validated(name, {})

    def _validated(self, scenario: str, levers: dict[str, Any]) -> Config:
        self._check_scale()
        try:
            return lv.validate(scenario, levers, seed=self.seed, scale=self.scale,
                               start_year=self.start_year, end_year=self.end_year)
        except ValidationError as exc:  # not about one lever: a scenario that cannot run
            raise SessionError("err.model", msg=str(exc)) from exc


def _model_of(future: Future[BlitarModel]) -> BlitarModel:
    """The model a build future holds (a build error as a :class:`SessionError`)."""
    try:
        return future.result()
    except (ValueError, TypeError) as exc:
        raise SessionError("err.model", msg=f"{type(exc).__name__}: {exc}") from exc


def _build(cfg: Config) -> BlitarModel:
    try:
        return BlitarModel(cfg)
    except (ValueError, TypeError) as exc:
        raise SessionError("err.model", msg=f"{type(exc).__name__}: {exc}") from exc


@dataclass(frozen=True)
class Event:
    """A lever change while the run was stepping: ``who`` is "schedule" or "forum"."""

    month: int                      # 0 = the first simulated month (January of start year)
    who: str
    changes: dict[str, tuple[Any, Any]]   # lever -> (before, after)


@dataclass(frozen=True)
class Comparison:
    """An indicator against the baseline at the snapshot's month, over the ensemble."""

    verdict: str          # see simulation.results.stats.verdict
    mean: float           # mean per-seed difference (scenario - baseline)
    low: float
    high: float
    n: int                # seeds with both runs


@dataclass(frozen=True, eq=False)
class KelComparison:
    """Per kelurahan (arrays in kelurahan order): scenario minus baseline over the seeds."""

    verdict: np.ndarray   # of str, see simulation.results.stats.verdict
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: int                # seeds with both runs (the most over the kelurahan)


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What the page shows of a session at one month, copied under the session lock."""

    settings: Settings
    baseline_name: str
    month: int
    n_steps: int
    run0: dict[str, float]                        # the starting state (month 0)
    run: dict[str, np.ndarray]                    # months 1..month, the interactive run
    base: dict[str, np.ndarray] | None            # months 1..month, baseline seed 0
    members: dict[str, list[np.ndarray | None]]   # "run"/"base" -> per seed full series
    standards: dict[str, float]
    in_force: dict[str, Any]
    events: tuple[Event, ...]
    schedule: dict[int, dict[str, Any]]
    map: md.MapState
    kel: dict[str, np.ndarray]                    # per-kelurahan figures, this run, now
    run_id: int = 0                               # a new number for each (re)started run
    selected: tuple[str, int] | None = None
    agent: dict[str, Any] | None = None

    @property
    def finished(self) -> bool:
        return self.month >= self.n_steps

    @property
    def map_key(self) -> object:
        """A memo key that changes with the map state (compared by identity)."""
        return _Key(self.map)

    def value(self, name: str, baseline: bool = False) -> float:
        """An indicator at this month (month 0 = the starting state; NaN: no baseline yet)."""
        if self.month == 0:
            return float(self.run0[name])
        if baseline:
            return float(self.base[name][-1]) if self.base is not None else float("nan")
        return float(self.run[name][-1])

    def series_of(self, name: str, baseline: bool = False) -> np.ndarray:
        """Monthly values (months 1..month); empty for a baseline not computed yet."""
        if baseline:
            return self.base[name] if self.base is not None else np.empty(0)
        return self.run[name]

    def _rows(self, which: str, name: str, start: int = 0) -> np.ndarray:
        """(seeds, months start+1..month) with NaN rows for seeds not computed yet."""
        k = self.month
        out = np.full((len(self.members[which]), k - start), np.nan)
        for i, m in enumerate(self.members[which]):
            if m is not None:
                out[i] = m[name][start:k]
        return out

    @cached_property
    def progress(self) -> tuple[int, int]:
        """(runs of both ensembles computed, runs in both ensembles)."""
        done = sum(m is not None for w in ("run", "base") for m in self.members[w])
        return done, 2 * len(self.members["run"])

    def bands(self, name: str, start: int = 0) -> dict[str, np.ndarray]:
        """5-95 % bands over seeds of scenario and baseline, months start+1..month."""
        run = band(self._rows("run", name, start))
        base = band(self._rows("base", name, start))
        return {"run_low": run.low, "run_high": run.high,
                "base_low": base.low, "base_high": base.high}

    def comparison(self, name: str) -> Comparison | None:
        """Scenario minus baseline at this month over common seeds (None at month 0)."""
        if self.month == 0:
            return None
        k = self.month - 1
        a = np.array([np.nan if m is None else m[name][k] for m in self.members["run"]])
        b = np.array([np.nan if m is None else m[name][k] for m in self.members["base"]])
        d = paired_difference(a, b)
        return Comparison(str(np.asarray(verdict(d)).item()), float(d.mean), float(d.low),
                          float(d.high), int(d.n))

    def kel_values(self, col: str, baseline: bool = False) -> np.ndarray | None:
        """A per-kelurahan column at this month: this run's, or the baseline's (seed 0;
        None at month 0 or while it is being computed)."""
        if not baseline:
            return self.kel[col]
        b = self.members["base"][0]
        if self.month == 0 or b is None:
            return None
        return np.asarray(b[f"kel.{col}"][self.month - 1], dtype=float)

    def kel_comparison(self, col: str) -> KelComparison | None:
        """Scenario minus baseline per kelurahan at this month over common seeds (None at
        month 0 or before the baseline of seed 0 is known). Compared in float32, the
        precision the ensemble keeps, so a run equal to its baseline is "identical"."""
        if self.month == 0 or self.members["base"][0] is None:
            return None
        k, key = self.month - 1, f"kel.{col}"
        n = len(self.kel[col])

        def at(m: dict[str, np.ndarray] | None) -> np.ndarray:
            return np.full(n, np.nan) if m is None else m[key][k]

        a = np.array([self.kel[col]] + [at(m) for m in self.members["run"][1:]], np.float32)
        b = np.array([at(m) for m in self.members["base"]], np.float32)
        d = paired_difference(a.astype(float), b.astype(float))
        return KelComparison(np.asarray(verdict(d)), d.mean, d.low, d.high, int(d.n.max()))

    def date_label(self, start_word: str = "start") -> str:
        """The month last simulated as YYYY-MM (or the start, before any step)."""
        k, y0 = self.month, self.settings.start_year
        return month_label(y0, k - 1) if k else f"{y0}-01 ({start_word})"


class _Key:
    """Wraps an object so memo dependencies compare it by identity (not by value)."""

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and other.obj is self.obj

    def __hash__(self) -> int:
        return id(self.obj)


def month_label(start_year: int, month: int) -> str:
    """Month index 0 = January of ``start_year`` as YYYY-MM."""
    return f"{start_year + month // 12}-{month % 12 + 1:02d}"


def ensemble_jobs(cfg: Config, base_cfg: Config, n: int) -> list[tuple[int, Config]]:
    """The runs a comparison needs, by priority: the baseline of the watched seed first
    (the comparison line), then baseline and scenario of the other seeds alternately."""
    ss = ens.seeds(cfg.scenario.seed, n)
    jobs = [(0, ens.with_seed(base_cfg, ss[0]))]
    for s in ss[1:]:
        jobs += [(1, ens.with_seed(base_cfg, s)), (1, ens.with_seed(cfg, s))]
    return jobs


def want_ensembles(ensembles: ens.Ensembles, owner: int, settings: Settings) -> None:
    """Start the ensembles of ``settings`` for ``owner`` (the server's warm-up uses 0)."""
    ensembles.want(owner, ensemble_jobs(settings.config(),
                                        settings.baseline_config(baseline_scenario()),
                                        ens.n_seeds()))


_RUN_IDS = itertools.count(1)


class Session:
    """A run and its ensembles, for one browser tab.

    ``lock`` guards the model: :meth:`step`, :meth:`rebuild`, :meth:`select`, :meth:`refresh`
    and the exports hold it; each publishes a new :attr:`snapshot` (one assignment).

    With a ``pool`` (the server's), a new tab whose run's month-0 view is known starts
    from it at once and gets its model in the background: :attr:`model` (and so the first
    step) waits for it. :meth:`rebuild` always waits, so that an error keeps the old run."""

    def __init__(self, settings: Settings, ensembles: ens.Ensembles | None = None,
                 pool: warm.ModelPool | None = None) -> None:
        self.lock = threading.RLock()
        self.ensembles = ensembles if ensembles is not None else ens.shared()
        self.pool = pool
        self.baseline_name = baseline_scenario()
        self.selected: tuple[str, int] | None = None
        self.n_seeds = ens.n_seeds()
        self.step_seconds = 0.0
        self._install(*self._prepare(settings, wait=False))

    # --- building --------------------------------------------------------------------
    def _prepare(self, settings: Settings, wait: bool = True) -> tuple[Any, ...]:
        """Everything a new run needs, built without touching the current one."""
        cfg = settings.config()
        base_cfg = settings.baseline_config(self.baseline_name)
        if self.pool is None:
            model = _build(cfg)
            future, start = warm.done(model), warm.Start.of(model)
        else:
            future = self.pool.model(cfg)
            start = self.pool.start_of(cfg)
            if start is None or wait:
                model = _model_of(future)
                start = self.pool.remember(cfg, model)
        run_keys, base_keys = self._want(cfg, base_cfg)
        return settings, cfg, future, start, run_keys, base_keys

    def _want(self, cfg: Config, base_cfg: Config) -> tuple[list[str | None], list[str]]:
        keys = self.ensembles.want(id(self), ensemble_jobs(cfg, base_cfg, self.n_seeds))
        base_keys = [keys[0]] + keys[1::2]
        run_keys: list[str | None] = [None] + keys[2::2]  # seed 0 is the live run
        return run_keys, base_keys

    def _install(self, settings: Settings, cfg: Config, future: Future[BlitarModel],
                 start: warm.Start, run_keys: list[str | None], base_keys: list[str]) -> None:
        with self.lock:
            self.settings, self.cfg, self._future, self.start = settings, cfg, future, start
            self.run0 = start.run0
            self.run_keys, self.base_keys = run_keys, base_keys
            self.run_id = next(_RUN_IDS)
            self.events: list[Event] = []
            self.started = datetime.now(UTC)
            self._seen_version = -1
            self.snapshot = self._take()

    @property
    def model(self) -> BlitarModel:
        """This tab's model (waits while it is being built in the background)."""
        return _model_of(self._future)

    @property
    def model_ready(self) -> bool:
        return self._future.done()

    def rebuild(self, settings: Settings) -> None:
        """Start again from month 0 with new settings. The new run is built first and
        swapped in only when that succeeded: on any error the current run stays."""
        with self.lock:
            prepared = self._prepare(settings)
        self._install(*prepared)

    def close(self) -> None:
        """The tab closed: withdraw its background runs."""
        self.ensembles.drop(id(self))

    # --- snapshots -------------------------------------------------------------------
    def _take(self) -> Snapshot:
        with self.lock:
            self._seen_version = self.ensembles.version
            m = self.model if self.model_ready else None
            k = m.month if m is not None else 0
            if k == 0:  # the shared month-0 view (the model may still be on its way)
                st = self.start
                run = {n: np.empty(0) for n in COLUMNS}
                in_force, state, kel = st.in_force, st.map, st.kel0
            else:
                run = {n: m.recorder.data[n][:k].copy() for n in COLUMNS}
                in_force, state, kel = lv.in_force(m), md.MapState.from_model(m), kv.figures(m)
            base_runs = [self.ensembles.get(key) for key in self.base_keys]
            run_members: list[dict[str, np.ndarray] | None] = [run] + [
                self.ensembles.get(key) for key in self.run_keys[1:]]
            base0 = base_runs[0]
            base = None if base0 is None else {n: base0[n][:k] for n in COLUMNS}
            env = self.cfg.environment
            agent = _agent_state(m, *self.selected) if self.selected and m is not None \
                else None
            return Snapshot(
                self.settings, self.baseline_name, k, self.cfg.n_steps, dict(self.run0), run,
                base, {"run": run_members, "base": base_runs},
                {n: float(getattr(env, f)) for n, f in STANDARDS.items()}, in_force,
                tuple(self.events), self.cfg.schedule_by_month(), state, kel, self.run_id,
                self.selected, agent)

    def refresh(self) -> bool:
        """Take a new snapshot if ensemble runs arrived since the last one."""
        if self.ensembles.version == self._seen_version:
            return False
        with self.lock:
            self.snapshot = self._take()
        return True

    # --- stepping --------------------------------------------------------------------
    @property
    def month(self) -> int:
        return self.model.month

    @property
    def n_steps(self) -> int:
        return self.cfg.n_steps

    @property
    def finished(self) -> bool:
        return self.model.month >= self.n_steps

    def step(self, n: int = 1) -> int:
        """Advance the run by up to ``n`` months."""
        with self.lock:
            if self.finished:
                raise SessionError("err.end")
            t0 = time.perf_counter()
            if self.pool is not None:
                self.pool.touch()
            done = 0
            try:
                while done < n and not self.finished:
                    self._step_one()
                    done += 1
            except Exception:
                with contextlib.suppress(Exception):  # show what there is; report the error
                    self.snapshot = self._take()
                raise
            self.snapshot = self._take()
            self.step_seconds = (time.perf_counter() - t0) / max(done, 1)
            return done

    def _step_one(self) -> None:
        month = self.model.month
        before = lv.in_force(self.model)
        self.model.step()
        after = lv.in_force(self.model)
        changed = {n: (before[n], after[n]) for n in after if after[n] != before[n]}
        if changed:
            planned = self.cfg.schedule_by_month().get(month, {})
            for who, names in (("schedule", [n for n in changed if n in planned]),
                               ("forum", [n for n in changed if n not in planned])):
                if names:
                    self.events.append(Event(month, who, {n: changed[n] for n in names}))

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
        return self.snapshot.value(name, baseline)

    def series(self, name: str, baseline: bool = False) -> np.ndarray:
        return self.snapshot.series_of(name, baseline)

    def timeseries_csv(self) -> bytes:
        """The run's monthly indicators with the baseline's (seed 0) as ``baseline_*``
        columns (empty while the baseline is being computed)."""
        with self.lock:
            df = self.model.timeseries()
            base = self.ensembles.get(self.base_keys[0])
        for name in COLUMNS:
            if name != "step":
                df[f"baseline_{name}"] = (base[name][: len(df)] if base is not None
                                          else np.nan)
        buf = io.StringIO()
        df.to_csv(buf, index=False)
        return buf.getvalue().encode()

    def manifest(self) -> dict[str, Any]:
        """Provenance of the run as shown: settings, resolved config, versions, digests."""
        with self.lock:
            cfg = self.cfg
            df = self.model.timeseries()
            snap = self.snapshot
            # the same manifest as a run folder's (rundir.build_manifest), kind "browser",
            # plus what only a session has: levers changed while it ran, its ensemble
            return rundir.build_manifest(
                cfg, kind="browser", timeseries=df, city=self.model.city,
                timing={"started": self.started.isoformat(),
                        "exported": datetime.now(UTC).isoformat()},
                source="blitar-sim viz (browser session)",
                levers={n: getattr(getattr(cfg, m.section), n) for n, m in LEVERS.items()},
                levers_in_force=snap.in_force,
                policy_changes=[dataclasses.asdict(e) for e in self.events],
                months_simulated=int(self.model.month),
                baseline={"scenario": self.baseline_name, "seed": cfg.scenario.seed,
                          "scale": cfg.scenario.scale},
                ensemble={"seeds": ens.seeds(cfg.scenario.seed, self.n_seeds),
                          "runs_computed": snap.progress[0],
                          "band": "5-95 % over seeds",
                          "verdict": "paired difference over common seeds, 95 % t-interval"},
                forum_log=getattr(self.model.regulator, "forum_log", []))

    def manifest_json(self) -> bytes:
        return json.dumps(self.manifest(), indent=2, default=str).encode()

    def agent_state(self, kind: str, row: int) -> dict[str, Any] | None:
        """The state of a firm or household now (None if it no longer exists)."""
        with self.lock:
            return _agent_state(self.model, kind, row)


def _agent_state(model: BlitarModel, kind: str, row: int) -> dict[str, Any] | None:
    if kind == "firm":
        agent = model.firm_agents.get(int(row))
    elif 0 <= int(row) < len(model.household_agents):
        agent = model.household_agents[int(row)]
    else:
        agent = None
    return None if agent is None else agent.state()
