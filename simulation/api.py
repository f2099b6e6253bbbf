"""Plain-function interface for external drivers (EMA Workbench, Mesa's batch_run, ...).

``run_scenario(**levers)`` runs one scenario and returns its outcomes. By default
(``outcomes="final_year"``) a ``dict[str, float]``: for every indicator of
:data:`simulation.model.indicators.COLUMNS` (except ``step``) the mean over the final 12
months of the run, in that indicator's unit, and the run totals
``emissions_air_total`` / ``emissions_water_total`` (:data:`OUTCOMES` lists them all with
units). With ``outcomes="timeseries"`` every indicator is instead its whole monthly series
(a 1-D ``numpy`` array, one value per month: what EMA Workbench's ``TimeSeriesOutcome``
takes), ``TIME`` is the month as a decimal year (EMA's plots use it as the x axis), and the
run totals stay scalars (:data:`SERIES` lists the series). For example::

    >>> from simulation.api import run_scenario
    >>> out = run_scenario(emission_charge=5000, green_subsidy_share=0.3, seed=1,
    ...                    end_year=2030)
    >>> out["grdp"], out["exposure_population_weighted"], out["emissions_air_total"]

**Scale.** One default everywhere: the scenario's ``scenario.scale``, which is 1 (full
scale) in every shipped scenario and in the config's default; the CLI, ``BlitarModel``,
``BatchRunModel`` and ``run_scenario`` all use it unless told otherwise. A larger scale
(e.g. ``scale=10``: one agent per 10 households) is faster but not every indicator agrees
with full scale (issue 11; see the README).

Levers are given by bare name: every ``policy.*`` field (emission_charge,
green_subsidy_share, workshop_slots_per_year, skills_training_seats_per_year,
zoning_buffer_cells, ipal_pakunden_year, ...), ``big_plant_year``, ``big_plant_jobs``
and ``start_year`` (scenario), and any parameter of the other sections whose name is
unique (e.g. adoption_base_rate, separation_rate, mixing_height_m). A dotted key such as
``**{"green_tech.adoption_base_rate": 0.03}`` is accepted too. An unknown name is a
``TypeError``; an out-of-range value a ``ConfigError`` naming the allowed range.

:class:`BatchRunModel` is :class:`~simulation.model.BlitarModel` with a Mesa
``DataCollector`` and ``running`` flag, following Mesa's conventions, so ``mesa.batch_run``
drives it directly: without a seed every run draws a fresh random seed (reported as the
``seed`` column); the state at the start (``Step`` 0) is collected as well as every month;
``Step`` is an integer (months since the start).
"""

from __future__ import annotations

from typing import Any, Literal

import mesa
import numpy as np
import pandas as pd

from simulation.config.levers import BARE_NAMES
from simulation.model import BlitarModel
from simulation.model.indicators import COLUMNS, indicators
from simulation.scenarios import load_config
from simulation.sweep.outcomes import OUTCOMES, TOTALS, summarise

__all__ = ["OUTCOMES", "SERIES", "BatchRunModel", "lever_key", "run_scenario"]

# outcomes="timeseries": name -> unit (monthly series, TIME, and the run totals as scalars)
SERIES: dict[str, str] = {
    "TIME": "decimal year at the start of the month (2025.0 = January 2025)",
    **{name: f"{unit} (one value per month)" for name, unit in COLUMNS.items()
       if name != "step"},
    **{name: unit for name, (_, unit) in TOTALS.items()}}


def lever_key(name: str) -> str:
    """The config key (``section.field``) of a lever or parameter given by bare name."""
    if "." in name:
        return name
    try:
        return BARE_NAMES[name]
    except KeyError:
        raise TypeError(f"unknown lever or parameter {name!r}; give a bare name such as "
                        "emission_charge or a dotted key such as "
                        "'green_tech.adoption_base_rate'") from None


def series_outcomes(timeseries: pd.DataFrame) -> dict[str, Any]:
    """The ``outcomes="timeseries"`` dict of a run's monthly table (see :data:`SERIES`)."""
    dates = pd.DatetimeIndex(timeseries["date"])
    out: dict[str, Any] = {"TIME": (dates.year + (dates.month - 1) / 12.0).to_numpy(float)}
    out.update({name: timeseries[name].to_numpy(dtype=float, copy=True)
                for name in COLUMNS if name != "step"})
    totals = summarise(timeseries)
    out.update({name: totals[name] for name in TOTALS})
    return out


def run_scenario(scenario: str = "blitar", seed: int | None = None, scale: int | None = None,
                 end_year: int | None = None,
                 outcomes: Literal["final_year", "timeseries"] = "final_year",
                 **levers: Any) -> dict[str, Any]:
    """Run one scenario and return its outcomes: ``outcomes="final_year"`` the mean of
    the final 12 months per indicator and the run totals (:data:`OUTCOMES`);
    ``"timeseries"`` the monthly series, ``TIME`` and the run totals (:data:`SERIES`).
    ``seed`` None = the scenario's seed; ``scale`` None = the scenario's (1, full scale, in
    every shipped scenario); ``end_year`` None = the scenario's horizon (2045,
    exclusive)."""
    if outcomes not in ("final_year", "timeseries"):
        raise ValueError(f"outcomes={outcomes!r}: use 'final_year' or 'timeseries'")
    values = {lever_key(k): v for k, v in levers.items()}
    for key, value in (("scenario.scale", scale), ("scenario.seed", seed),
                       ("scenario.end_year", end_year)):
        if value is not None:
            values[key] = value
    cfg = load_config(scenario, **values)
    model = BlitarModel(cfg)
    model.run()
    table = model.timeseries()
    return series_outcomes(table) if outcomes == "timeseries" else summarise(table)


def fresh_seed() -> int:
    """A new random root seed from the operating system's entropy (63 bits)."""
    return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


class _StepCollector(mesa.DataCollector):
    """Mesa's DataCollector, recording the step as an integer (months since the start;
    Mesa 3.5 records the float ``model.time``, which batch_run returns as ``Step``)."""

    def collect(self, model: mesa.Model) -> None:
        super().collect(model)
        steps = getattr(self, "_collection_steps", None)
        if steps:
            steps[-1] = int(model.steps)


class BatchRunModel(BlitarModel):
    """BlitarModel for ``mesa.batch_run``, following Mesa's conventions.

    * **Seed.** ``seed`` (a keyword, as in ``BlitarModel``) or Mesa's ``rng`` (an integer;
      batch_run always passes it) is the root seed; with neither, every instance draws a
      fresh random seed (Mesa: "no seed = a new random stream"). The seed used is
      ``self.seed`` and the ``seed`` column of the collected data.
    * **Data.** Every indicator of :data:`simulation.model.indicators.COLUMNS` is a model
      reporter of the same name, plus the cumulative ``emissions_air_total`` /
      ``emissions_water_total`` (equal to the run totals at the last step) and ``seed``.
      The settled state at the start is collected (``Step`` 0), then every month
      (``Step`` 1, 2, ...), so ``data_collection_period=12`` returns each January start
      and the final month. ``Step`` is an integer.
    * **Stop.** ``running`` turns False at the horizon.
    """

    def __init__(self, *args: Any, rng: Any = None, **kwargs: Any) -> None:
        if not args:  # flat keywords, the Mesa way (a Config keeps its own seed)
            kwargs["seed"] = self._choose_seed(kwargs.get("seed"), rng)
        elif rng is not None:
            raise TypeError("give either a Config (with its seed) or rng, not both")
        super().__init__(*args, **kwargs)
        self.seed = self.cfg.scenario.seed
        self._start = indicators(self)  # the settled state: Step 0 (reads, draws nothing)
        reporters: dict[str, Any] = {name: (lambda m, n=name: m._value(n))
                                     for name in COLUMNS if name != "step"}
        reporters.update({name: (lambda m, c=column: m._total(c))
                          for name, (column, _) in TOTALS.items()})
        reporters["seed"] = "seed"
        self.datacollector = _StepCollector(model_reporters=reporters)
        self.datacollector.collect(self)

    @staticmethod
    def _choose_seed(seed: Any, rng: Any) -> int:
        for name, value in (("seed", seed), ("rng", rng)):
            if value is not None and (isinstance(value, bool)
                                      or not isinstance(value, int | np.integer)):
                raise TypeError(f"{name}={value!r}: BlitarModel takes an integer seed (its "
                                "random streams derive from one root seed); pass None or "
                                "an int")
        if seed is not None and rng is not None and int(seed) != int(rng):
            raise TypeError(f"seed={seed} and rng={rng} disagree; give one of them")
        chosen = seed if seed is not None else rng
        return fresh_seed() if chosen is None else int(chosen)

    def _value(self, name: str) -> float:
        i = self.recorder.i
        return float(self.recorder.data[name][i - 1]) if i else float(self._start[name])

    def _total(self, column: str) -> float:
        """Sum of ``column`` over the months so far (as :func:`summarise` sums a run)."""
        return float(np.sum(self.recorder.data[column][: self.recorder.i]))

    def step(self) -> None:
        super().step()
        self.datacollector.collect(self)
