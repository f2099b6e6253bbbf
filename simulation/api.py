"""Plain-function interface for external drivers (EMA Workbench, Mesa's batch_run, ...).

``run_scenario(**levers) -> dict[str, float]`` runs one scenario and returns its
end-of-run outcomes: for every indicator of :data:`simulation.metrics.COLUMNS` (except
``step``), the mean over the final 12 months of the run, in that indicator's unit
(:data:`OUTCOMES` lists them with units). For example::

    >>> from simulation.api import run_scenario
    >>> out = run_scenario(emission_charge=5000, green_subsidy_share=0.3, seed=1, scale=20,
    ...                    end_year=2030)
    >>> out["grdp"], out["exposure_population_weighted"]

Levers are given by bare name: every ``policy.*`` field (emission_charge,
green_subsidy_share, workshop_slots_per_year, skills_training_seats_per_year,
zoning_buffer_cells, ipal_pakunden_year, ...), ``big_plant_year``, ``big_plant_jobs``
and ``start_year`` (scenario), and any parameter of the other sections whose name is
unique (e.g. adoption_base_rate, separation_rate, mixing_height_m). A dotted key such as
``**{"green_tech.adoption_base_rate": 0.03}`` is accepted too. An unknown name is a
``TypeError``; an out-of-range value a ``ConfigError`` naming the allowed range.

:class:`BatchRunModel` is :class:`~simulation.model.BlitarModel` with a Mesa
``DataCollector`` and ``running`` flag, so ``mesa.batch_run`` drives it directly.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from simulation.config.levers import BARE_NAMES
from simulation.model import BlitarModel
from simulation.scenarios import load_config
from simulation.sweep.outcomes import OUTCOMES, summarise

__all__ = ["OUTCOMES", "BatchRunModel", "lever_key", "run_scenario"]



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


def run_scenario(scenario: str = "blitar", seed: int | None = None, scale: int = 10,
                 end_year: int | None = None, **levers: Any) -> dict[str, float]:
    """Run one scenario and return its outcomes (mean of the final 12 months per indicator;
    see :data:`OUTCOMES` for names and units). ``seed`` None = the scenario's seed;
    ``scale`` real households per agent (10 is ~10x faster than full scale 1); ``end_year``
    None = the scenario's horizon (2045, exclusive)."""
    values = {lever_key(k): v for k, v in levers.items()}
    values["scenario.scale"] = scale
    if seed is not None:
        values["scenario.seed"] = seed
    if end_year is not None:
        values["scenario.end_year"] = end_year
    cfg = load_config(scenario, **values)
    model = BlitarModel(cfg)
    model.run()
    return summarise(model.timeseries())


class BatchRunModel(BlitarModel):
    """BlitarModel for ``mesa.batch_run``: collects every indicator each month (model
    reporters named as :data:`simulation.metrics.COLUMNS`) and stops at the horizon.
    Mesa's ``rng`` keyword (which batch_run always passes) becomes the ``seed`` when it is
    an integer and no ``seed`` is given; ``rng=None`` keeps the scenario's seed."""

    def __init__(self, *args: Any, rng: Any = None, **kwargs: Any) -> None:
        if rng is not None and "seed" not in kwargs and not args:
            if isinstance(rng, bool) or not isinstance(rng, int | np.integer):
                raise TypeError(f"rng={rng!r}: BlitarModel takes an integer seed (its random "
                                "streams derive from one root seed); pass rng=None or an int")
            kwargs["seed"] = int(rng)
        super().__init__(*args, **kwargs)
        self.datacollector = mesa.DataCollector(model_reporters={
            name: (lambda m, n=name: m.recorder.data[n][m.recorder.i - 1]
                   if m.recorder.i else float("nan"))
            for name in OUTCOMES})

    def step(self) -> None:
        super().step()
        self.datacollector.collect(self)
