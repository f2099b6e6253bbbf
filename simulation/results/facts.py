"""Stylized-facts check (design brief section 7): paired policy arms on common seeds.

Each fact names its arms (lever settings over the default scenario), the outcome measured
and a verdict rule fixed here *before* looking at results. Every arm runs on the same
seeds, so an effect is the mean of per-seed paired differences, with a t-interval. The
report states the measured effect, its 95 % interval and whether the fact holds; where it
does not, that is reported, not tuned away.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from simulation.model import BlitarModel
from simulation.results.stats import paired_difference
from simulation.scenarios import load_config

Arms = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Fact:
    name: str
    claim: str
    arms: Arms                           # arm name -> {"policy.x": value, ...}
    rule: str                            # the verdict rule, in words
    judge: Callable[[dict[str, np.ndarray]], tuple[str, float, float, float, bool]]
    extra: dict[str, Any] = field(default_factory=dict)


def paired(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Mean of per-seed differences a - b with a 95 % t-interval (see results/stats.py)."""
    d = paired_difference(a, b, 0.95)
    return float(d.mean), float(d.low), float(d.high)


def rel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(a, float) / np.asarray(b, float) - 1.0


# --- verdict rules ---------------------------------------------------------------------
def _charge(o: dict[str, np.ndarray]) -> tuple[str, float, float, float, bool]:
    em, lo, hi = paired(rel(o["charge:emissions"], o["baseline:emissions"]), 0)
    out_cost = -rel(o["charge:mfg_output"], o["baseline:mfg_output"])
    out_cost_pkg = -rel(o["charge+support:mfg_output"], o["baseline:mfg_output"])
    em_pkg = rel(o["charge+support:emissions"], o["baseline:emissions"])
    # cost per unit of emissions cut, charge alone vs with support
    per_cut = out_cost.mean() / max(-em / 1.0, 1e-9) if em < 0 else np.inf
    per_cut_pkg = out_cost_pkg.mean() / max(-em_pkg.mean(), 1e-9) if em_pkg.mean() < 0 \
        else np.inf
    holds = hi < 0 and out_cost.mean() <= 0.05 and per_cut_pkg < per_cut
    note = (f"emissions {100 * em:+.1f} %; manufacturing output cost {100 * out_cost.mean():.2f}"
            f" % alone, {100 * out_cost_pkg.mean():.2f} % with support (emissions "
            f"{100 * em_pkg.mean():+.1f} %)")
    return note, em, lo, hi, holds


def _s_curve(o: dict[str, np.ndarray]) -> tuple[str, float, float, float, bool]:
    cap = paired(o["workshops:green_end"], o["no_workshops:green_end"])
    price = paired(o["price_barrier+workshops:green_end"], o["price_barrier:green_end"])
    inc = o["workshops:green_yearly_increments"].mean(axis=0)
    peak_year = int(np.argmax(inc))
    s_shape = 0 < peak_year  # adoption accelerates before it slows
    holds = cap[1] > 0 and cap[0] > price[0] and s_shape
    note = (f"workshop effect on green share at the end: {cap[0]:+.3f} when capability is the "
            f"barrier vs {price[0]:+.3f} when price is; yearly adoption peaks in year "
            f"{peak_year + 1} of {inc.size}")
    return note, cap[0], cap[1], cap[2], holds


def _skew(o: dict[str, np.ndarray]) -> tuple[str, float, float, float, bool]:
    sk = o["baseline:size_skew"]
    mean_gt_median = o["baseline:mean_over_median"]
    m, lo, hi = paired(sk, 0)
    holds = lo > 0 and bool((mean_gt_median > 1).all())
    return (f"skewness of manufacturing firm sizes {m:.2f}; mean/median size "
            f"{mean_gt_median.mean():.2f}"), m, lo, hi, holds


def _inspections(o: dict[str, np.ndarray]) -> tuple[str, float, float, float, bool]:
    levels = [0.0, 0.2, 0.4, 0.8]
    em = [o[f"inspect_{r}:emissions"] for r in levels]
    gains = [paired(em[i], em[i + 1])[0] / (levels[i + 1] - levels[i]) for i in range(3)]
    first = paired(em[0], em[1])
    holds = first[1] > 0 and gains[0] > gains[1] > gains[2] * 0.999
    note = ("emissions cut per unit of inspection rate (t/month): "
            + ", ".join(f"{g:.2f}" for g in gains) + " for 0-0.2, 0.2-0.4, 0.4-0.8")
    return note, first[0], first[1], first[2], holds


def _training(o: dict[str, np.ndarray]) -> tuple[str, float, float, float, bool]:
    u = paired(o["training:unemployment"], o["baseline:unemployment"])
    w = paired(rel(o["training:wage"], o["baseline:wage"]), 0)
    holds = u[2] < 0 or w[1] > 0
    note = (f"unemployment {100 * u[0]:+.2f} pts [{100 * u[1]:+.2f}, {100 * u[2]:+.2f}]; mean "
            f"wage {100 * w[0]:+.2f} % [{100 * w[1]:+.2f}, {100 * w[2]:+.2f}]")
    return note, w[0], w[1], w[2], holds


def _simple(arm: str, metric: str, sign: int, label: str, unit: str = "",
            relative: bool = True):
    def judge(o: dict[str, np.ndarray]) -> tuple[str, float, float, float, bool]:
        a, b = o[f"{arm}:{metric}"], o[f"baseline:{metric}"]
        m, lo, hi = paired(rel(a, b), 0) if relative else paired(a, b)
        holds = hi < 0 if sign < 0 else lo > 0
        shown = f"{100 * m:+.1f} %" if relative else f"{m:+.1f}{unit}"
        return f"{label} {shown}", m, lo, hi, holds
    return judge


def _big_plant(jobs: int):
    def judge(o: dict[str, np.ndarray]) -> tuple[str, float, float, float, bool]:
        m, lo, hi = paired(o["big_plant:mfg_jobs"], o["baseline:mfg_jobs"])
        holds = 0.7 * jobs <= m <= 1.3 * jobs
        return (f"manufacturing jobs {m:+.0f} for a {jobs}-job plant "
                f"(holds if within 70-130 %)"), m, lo, hi, holds
    return judge


CHARGE = 10_000.0
SUPPORT = {"policy.green_subsidy_share": 0.5, "policy.workshop_slots_per_year": 400}
FACTS = [
    Fact("charge", "A pollution charge lowers emissions at a modest output cost, smaller with "
         "green-technology support",
         {"baseline": {}, "charge": {"policy.emission_charge": CHARGE},
          "charge+support": {"policy.emission_charge": CHARGE, **SUPPORT}},
         "emissions fall (95 % CI below 0); manufacturing output falls by <= 5 %; output lost "
         "per unit of emissions cut is smaller with support", _charge),
    Fact("s_curve", "Green adoption follows an S-curve, faster with workshops when capability "
         "(not price) is the barrier",
         {"no_workshops": {"policy.workshop_slots_per_year": 0},
          "workshops": {"policy.workshop_slots_per_year": 400},
          "price_barrier": {"policy.workshop_slots_per_year": 0,
                            "green_tech.capability_barrier": 0.0,
                            "green_tech.private_return_per_year": 0.05},
          "price_barrier+workshops": {"policy.workshop_slots_per_year": 400,
                                      "green_tech.capability_barrier": 0.0,
                                      "green_tech.private_return_per_year": 0.05}},
         "workshops raise the final green share (CI above 0), by more under a capability "
         "barrier than under a price barrier, and yearly adoption peaks after year 1", _s_curve),
    Fact("firm_sizes", "Firm sizes are right-skewed", {"baseline": {}},
         "skewness of manufacturing firm sizes at the end > 0 (CI) and mean > median",
         _skew),
    Fact("inspections", "Inspections have diminishing returns",
         {f"inspect_{r}": {"policy.inspection_rate": r, "policy.emission_standard": 0.8,
                           "policy.fine": 100.0} for r in (0.0, 0.2, 0.4, 0.8)},
         "raising inspections from 0 to 0.2 cuts emissions (CI) and the cut per unit of "
         "inspection rate shrinks as the rate rises", _inspections),
    Fact("training", "Skills training lowers unemployment or raises wages",
         {"baseline": {}, "training": {"policy.skills_training_seats_per_year": 3000}},
         "unemployment falls (CI below 0) or the mean wage rises (CI above 0)", _training),
    Fact("zoning", "Zoning buffers lower residential exposure",
         {"baseline": {}, "zoning": {"policy.zoning_buffer_cells": 3}},
         "population-weighted PM2.5 exposure falls (CI below 0)",
         _simple("zoning", "exposure", -1, "exposure")),
    Fact("ipal", "The Pakunden IPAL lowers downstream river pollution",
         {"baseline": {}, "ipal": {"policy.ipal_pakunden_year": None}},
         "BOD where Kali Lahar leaves the city falls (CI below 0)",
         _simple("ipal", "river", -1, "downstream BOD")),
    Fact("big_plant", "A big plant raises manufacturing employment by about its jobs",
         {"baseline": {}, "big_plant": {"scenario.big_plant_year": None}},
         "manufacturing jobs rise by 70-130 % of the plant's jobs",
         _big_plant(load_config("blitar").scenario.big_plant_jobs)),
]


def _outcomes(m: BlitarModel, window_months: int) -> dict[str, Any]:
    df = m.timeseries()
    tail = df.iloc[-window_months:]
    f = m.firms
    sizes = f.workers[f.alive & m.is_mfg].astype(float) * m.cfg.scenario.scale
    green_years = df.groupby(df["date"].dt.year)["green_share"].mean().to_numpy()
    return {
        "emissions": float((tail["emissions_air"] + tail["emissions_water"]).mean()),
        "mfg_output": float(tail["manufacturing_output"].mean()),
        "mfg_jobs": float(tail["employment_manufacturing"].mean()),
        "unemployment": float(tail["unemployment_rate"].mean()),
        "wage": float((tail["mean_wage"] / tail["umk"]).mean()),
        "exposure": float(tail["exposure_population_weighted"].mean()),
        "river": float(tail["river_concentration_downstream"].mean()),
        "green_end": float(tail["green_share"].mean()),
        "green_yearly_increments": np.diff(np.concatenate(([df["green_share"].iloc[0]],
                                                           green_years))),
        "size_skew": float(stats.skew(sizes)),
        "mean_over_median": float(sizes.mean() / np.median(sizes)),
    }


def _arm_values(levers: dict[str, Any], mid: int) -> dict[str, Any]:
    """Lever values of an arm; None stands for 'a third into the horizon' (dated levers)."""
    return {k: (mid if v is None else v) for k, v in levers.items()}


def count_runs(seeds: int, facts: list[Fact] | None = None) -> int:
    """Distinct simulations run_facts performs (arms shared between facts run once)."""
    arms = {tuple(sorted(levers.items())) for fact in facts or FACTS
            for levers in fact.arms.values()}
    return len(arms) * seeds


def run_facts(seeds: int = 5, scale: int = 10, end_year: int = 2040,
              facts: list[Fact] | None = None, progress: Callable[[str], None] | None = None
              ) -> pd.DataFrame:
    """Run every fact's arms on ``seeds`` common seeds; one row per fact."""
    facts = facts or FACTS
    start = load_config("blitar").scenario.start_year
    window = 12 * min(5, end_year - start)
    mid = start + (end_year - start) // 3  # dated levers start a third into the horizon
    cache: dict[tuple, dict[str, Any]] = {}
    rows = []
    for fact in facts:
        outcomes: dict[str, list[Any]] = {}
        for arm, levers in fact.arms.items():
            values = _arm_values(levers, mid)
            for s in range(seeds):
                key = (tuple(sorted(values.items())), s)
                if key not in cache:
                    cfg = load_config("blitar", [f"scenario.scale={scale}",
                                                 f"scenario.end_year={end_year}",
                                                 f"scenario.seed={1000 + s}"], **values)
                    model = BlitarModel(cfg)
                    model.run()
                    cache[key] = _outcomes(model, window)
                    if progress:
                        progress(f"{fact.name}/{arm}/seed {s}")
                for name, value in cache[key].items():
                    outcomes.setdefault(f"{arm}:{name}", []).append(value)
        arrays = {k: np.array(v) for k, v in outcomes.items()}
        note, effect, lo, hi, holds = fact.judge(arrays)
        rows.append({"fact": fact.name, "claim": fact.claim, "rule": fact.rule,
                     "effect": effect, "ci_low": lo, "ci_high": hi, "holds": bool(holds),
                     "measured": note, "seeds": seeds, "scale": scale, "end_year": end_year})
    return pd.DataFrame(rows)
