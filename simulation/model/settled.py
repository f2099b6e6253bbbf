"""Settled states: the burn-in's result, kept in memory and reused by runs that share it.

The burn-in (trends frozen, today's policies) depends on the structural parameters, the
map and the seed, never on a policy lever, a schedule or the horizon. Runs that differ only
in those (policy arms on common seeds, the browser's run and its baseline, a sweep's
design points) can start from one settled state: the first run stores a deep copy of its
model right after the burn-in, the others restore it instead of simulating the burn-in
again. Restoring gives bit-identical results (``tests/test_settled.py``).

The store is off unless enabled (:func:`enable`), because storing costs a deep copy (about
3 s at full scale) that a single run does not need; sweeps, stylized facts, the browser
view and the test suite enable it. It is per process and keeps the ``capacity`` most
recently used states.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulation.config import Config
    from simulation.model.blitar_model import BlitarModel

# config keys that act only from start_year on (levers, schedule, horizon, labels)
_RUN_ONLY_SCENARIO_KEYS = ("name", "description", "description_id", "end_year",
                           "big_plant_year", "big_plant_jobs", "big_plant_kelurahan")

_store: OrderedDict[str, dict[str, Any]] = OrderedDict()
_capacity = 0


def enable(capacity: int = 4) -> None:
    """Keep up to ``capacity`` settled states in this process (0 turns the store off)."""
    global _capacity
    _capacity = capacity
    while len(_store) > _capacity:
        _store.popitem(last=False)


def clear() -> None:
    _store.clear()


def key(cfg: Config) -> str:
    """What the settled state depends on: the whole config but the run-only parts."""
    data: dict[str, Any] = cfg.model_dump(mode="json")
    data.pop("policy")
    data.pop("schedule")
    for name in _RUN_ONLY_SCENARIO_KEYS:
        data["scenario"].pop(name, None)
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def restore(cfg: Config, model: BlitarModel) -> bool:
    """Fill ``model`` with the stored settled state for ``cfg``; False if there is none."""
    if _capacity <= 0:
        return False
    k = key(cfg)
    stored = _store.get(k)
    if stored is None:
        return False
    _store.move_to_end(k)
    model.restore_settled(stored)  # copies what it takes
    return True


def store(cfg: Config, model: BlitarModel) -> None:
    """Keep a copy of ``model``'s settled state (call right after the burn-in)."""
    if _capacity <= 0:
        return
    k = key(cfg)
    _store[k] = model.settled_snapshot()
    _store.move_to_end(k)
    while len(_store) > _capacity:
        _store.popitem(last=False)
