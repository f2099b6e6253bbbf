"""Where a model step (and the construction) spends its time, part by part.

    python benchmarks/profile_step.py                  # full scale and scale 10
    python benchmarks/profile_step.py --scales 1 --months 48
    python benchmarks/profile_step.py --cprofile 1     # cProfile of 24 steps at scale 1

Each part of the schedule is wrapped with a timer (inclusive CPU time of this process, so
other processes on a shared machine disturb it less than wall time); the table gives ms
per step by part, indented under the part that calls it. Construction (the city, the
population, the economy, Mesa's grid and agents, the burn-in) is timed the same way.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulation.model import BlitarModel, settled  # noqa: E402
from simulation.scenarios import load_config  # noqa: E402

# (depth, module, attribute path) of what is timed; depth only indents the table
STEP_PARTS = [
    (0, "simulation.model.blitar_model", "BlitarModel._month"),
    (1, "simulation.economy.city_economy", "CityEconomy.start_month"),
    (1, "simulation.model.blitar_model", "BlitarModel._policy_month"),
    (1, "simulation.economy.city_economy", "CityEconomy.labour_month"),
    (2, "simulation.economy.labour_market", "LabourMarket.quits"),
    (2, "simulation.economy.production", "plan_labour"),
    (2, "simulation.economy.labour_market", "LabourMarket.lay_off"),
    (2, "simulation.economy.labour_market", "LabourMarket.match"),
    (2, "simulation.economy.labour_market", "LabourMarket.pay"),
    (1, "simulation.economy.city_economy", "CityEconomy.produce"),
    (2, "simulation.economy.informal", "produce"),
    (2, "simulation.economy.production", "produce"),
    (2, "simulation.economy.production", "emissions"),
    (2, "simulation.economy.informal", "informal_emissions"),
    (1, "simulation.model.blitar_model", "BlitarModel._enforce"),
    (2, "simulation.policy.programmes", "green_adoption"),
    (2, "simulation.policy.programmes", "enforce"),
    (1, "simulation.model.blitar_model", "BlitarModel._environment_month"),
    (2, "simulation.model.blitar_model", "BlitarModel._air_step"),
    (2, "simulation.model.blitar_model", "BlitarModel._river_step"),
    (2, "simulation.model.blitar_model", "BlitarModel._expose"),
    (2, "simulation.model.blitar_model", "BlitarModel._relocate"),
    (1, "simulation.economy.city_economy", "CityEconomy.close_month"),
    (2, "simulation.economy.production", "unit_costs"),
    (2, "simulation.economy.production", "close_accounts"),
    (2, "simulation.economy.city_economy", "CityEconomy._owner_income"),
    (2, "simulation.economy.households", "collect_income"),
    (2, "simulation.economy.households", "book_month"),
    (2, "simulation.economy.households", "plan_spending"),
    (2, "simulation.economy.markets", "Markets.update_prices"),
    (2, "simulation.economy.markets", "update_shares"),
    (2, "simulation.economy.production", "innovate"),
    (2, "simulation.economy.labour_market", "LabourMarket.adjust_pay"),
    (2, "simulation.economy.informal", "choose"),
    (1, "simulation.policy.regulator", "Regulator.end_month"),
    (1, "simulation.economy.city_economy", "CityEconomy.demography"),
    (2, "simulation.economy.firms", "exits"),
    (2, "simulation.economy.firms", "enter_firms"),
    (2, "simulation.economy.city_economy", "CityEconomy._formalise"),
    (2, "simulation.economy.city_economy", "CityEconomy.flows_closing"),
    (1, "simulation.model.blitar_model", "BlitarModel._remove_firm_agents"),
    (1, "simulation.model.blitar_model", "BlitarModel._grow_population"),
    (1, "simulation.model.indicators", "Recorder.record"),
    (1, "simulation.model.kelurahan", "KelurahanRecorder.record"),
]

BUILD_PARTS = [
    (0, "simulation.model.blitar_model", "BlitarModel.__init__"),
    (1, "simulation.model.blitar_model", "BlitarModel._build_and_settle"),
    (2, "simulation.environment.geography", "load_map"),
    (2, "simulation.model.blitar_model", "BlitarModel._build_grid"),
    (2, "simulation.society.population", "initial_population"),
    (2, "simulation.economy.city_economy", "CityEconomy.__init__"),
    (2, "simulation.environment.pollution", "Pollution.__init__"),
    (2, "simulation.model.blitar_model", "BlitarModel._add_firm_agents"),
    (2, "simulation.model.blitar_model", "BlitarModel._month"),
    (1, "simulation.model.blitar_model", "BlitarModel.restore_settled"),
    (1, "simulation.model.settled", "store"),
    (1, "simulation.model.blitar_model", "BlitarModel._start_run"),
]


class Timers:
    """Wraps the listed functions with CPU-time accumulators (restored by ``undo``)."""

    def __init__(self, parts) -> None:
        self.parts = parts
        self.total: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._undo = []

    def install(self) -> Timers:
        for _, mod_name, path in self.parts:
            owner = importlib.import_module(mod_name)
            *outer, attr = path.split(".")
            for name in outer:
                owner = getattr(owner, name)
            original = owner.__dict__[attr] if attr in owner.__dict__ else getattr(owner, attr)
            label = f"{mod_name.rsplit('.', 1)[-1]}.{path}" if "." not in path else path

            def timed(*args, __f=original, __label=label, **kwargs):
                t0 = time.process_time()
                try:
                    return __f(*args, **kwargs)
                finally:
                    self.total[__label] += time.process_time() - t0
                    self.calls[__label] += 1

            functools.update_wrapper(timed, original)
            setattr(owner, attr, timed)
            self._undo.append((owner, attr, original))
            # modules that imported the function by name keep their own reference
            for mod in list(sys.modules.values()):
                if mod is None or not getattr(mod, "__name__", "").startswith("simulation"):
                    continue
                if mod.__dict__.get(attr) is original and mod is not owner:
                    setattr(mod, attr, timed)
                    self._undo.append((mod, attr, original))
        return self

    def undo(self) -> None:
        for owner, attr, original in reversed(self._undo):
            setattr(owner, attr, original)
        self._undo.clear()

    def table(self, per: float, unit: str) -> str:
        lines = []
        for depth, mod_name, path in self.parts:
            path = f"{mod_name.rsplit('.', 1)[-1]}.{path}" if "." not in path else path
            if path in self.total:
                lines.append(f"{'  ' * depth}{path:<{44 - 2 * depth}} "
                             f"{1e3 * self.total[path] / per:8.2f} {unit}"
                             f"  ({self.calls[path]} calls)")
        return "\n".join(lines)


def profile_build(scale: int, seed: int) -> tuple[BlitarModel, str]:
    cfg = load_config("blitar", **{"scenario.scale": scale, "scenario.seed": seed})
    timers = Timers(BUILD_PARTS).install()
    try:
        model = BlitarModel(cfg)
    finally:
        timers.undo()
    return model, timers.table(1.0, "ms")


def profile_steps(model: BlitarModel, months: int) -> tuple[str, float]:
    timers = Timers(STEP_PARTS).install()
    try:
        for _ in range(months):
            model.step()
    finally:
        timers.undo()
    total = timers.total["BlitarModel._month"] / months
    return timers.table(months, "ms/step"), total


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", type=int, nargs="*", default=[1, 10])
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--seed", type=int, default=20250101)
    ap.add_argument("--cprofile", type=int, metavar="SCALE",
                    help="cProfile 24 steps at this scale instead")
    ap.add_argument("--restore", action="store_true",
                    help="also time a second construction restoring the settled state")
    args = ap.parse_args()
    if args.cprofile:
        cfg = load_config("blitar", **{"scenario.scale": args.cprofile})
        model = BlitarModel(cfg)
        for _ in range(3):
            model.step()
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(24):
            model.step()
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(35)
        return 0
    for scale in args.scales:
        if args.restore:
            settled.enable(1)
        model, build = profile_build(scale, args.seed)
        print(f"=== scale {scale}: construction (CPU ms; {model.households.n} households, "
              f"{model.workers.n} workers, {int(model.firms.alive.sum())} firms, "
              f"{len(model.agents)} agents)")
        print(build)
        if args.restore:
            _, again = profile_build(scale, args.seed)
            print("--- again, restoring the settled state")
            print(again)
            settled.clear()
            settled.enable(0)
        for _ in range(3):  # compile and warm caches
            model.step()
        table, per_step = profile_steps(model, args.months)
        print(f"=== scale {scale}: {args.months} steps, {per_step * 1e3:.2f} ms/step CPU")
        print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
