"""Models and month-0 views built ahead, so a tab opens without waiting for a model.

A model costs a burn-in (120 months, ~5 s at full scale) to build unless the settled store
(:mod:`simulation.model.settled`) restores one: that still takes about a second at full
scale, mostly Mesa's grid and agents. So the server

- keeps settled states in its own process (:func:`enable_settled`): runs that differ only
  in policy levers (a tab's run and its baseline, the presets) share one burn-in;
- builds the default preset's model before it answers its first request
  (:meth:`ModelPool.prewarm`), which stores its settled state and its month-0 view: no
  page open ever waits for a burn-in;
- shares a run's month-0 view (:class:`Start`: indicators, map state, levers in force,
  per-kelurahan figures) between tabs: a tab opening the default page draws it at once
  while its own model is restored in the background (its first step waits for that);
- keeps a spare month-0 model per recently used config, built when no tab has opened or
  stepped for :attr:`ModelPool.quiet` seconds (a build holds the interpreter for about a
  second and would slow a page being opened or played).

Builds run one at a time (:attr:`ModelPool._build_lock`): a second build of the same
config then restores the first one's settled state instead of repeating the burn-in.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulation.config import Config
from simulation.model import BlitarModel, settled
from simulation.model.indicators import indicators
from simulation.viz import ensemble as ens
from simulation.viz import kelurahan as kv
from simulation.viz import levers as lv
from simulation.viz import mapdata as md

log = logging.getLogger(__name__)
SETTLED_KEPT = 4      # settled states kept in the server process (seed x scale x map)
STARTS_KEPT = 16      # month-0 views kept (small next to a model)


def enable_settled() -> None:
    """Keep settled states in this process (the server and its ensemble workers)."""
    settled.enable(SETTLED_KEPT)


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class Start:
    """What a tab shows of a run before its first step; shared by every tab with the same
    run, so its arrays are read-only."""

    run0: dict[str, float]
    kel0: dict[str, np.ndarray]
    map: md.MapState
    in_force: dict[str, Any]

    @classmethod
    def of(cls, model: BlitarModel) -> Start:
        state = md.MapState.from_model(model)
        for name in state.__dataclass_fields__:
            value = getattr(state, name)
            if isinstance(value, np.ndarray):
                _frozen(value)
        return cls(dict(indicators(model)),
                   {k: _frozen(v) for k, v in kv.figures(model).items()},
                   state, lv.in_force(model))


class _Spare:
    """A model being built (or built) for one config; ``wanted`` once a tab waits for it."""

    def __init__(self) -> None:
        self.future: Future[BlitarModel] = Future()
        self.wanted = threading.Event()


class ModelPool:
    """Month-0 models and views, built ahead in background threads.

    :meth:`model` hands a tab a model of its config (a spare if one is built or being
    built, else a new build) as a future; :meth:`start_of` gives the shared month-0 view
    if one is known. A spare build waits until no tab has opened or stepped for
    :attr:`quiet` seconds (it holds the interpreter for about a second and must not stall
    a page being drawn or someone's play), unless a tab is already waiting for it."""

    quiet = 3.0

    def __init__(self, build: Callable[[Config], BlitarModel] = BlitarModel) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._spares: dict[str, _Spare] = {}
        self._starts: OrderedDict[str, Start] = OrderedDict()
        self._last_activity = 0.0

    def touch(self) -> None:
        """A tab is busy (opening or stepping): postpone spare builds."""
        self._last_activity = time.monotonic()

    def prewarm(self, cfg: Config) -> None:
        """Build a model of ``cfg`` now, in this thread (the server's start): its burn-in
        is stored, its month-0 view remembered and the model kept as the next tab's."""
        with self._build_lock:
            model = self._build(cfg)
        self.remember(cfg, model)
        spare = _Spare()
        spare.future.set_result(model)
        with self._lock:
            self._spares[ens.run_key(cfg)] = spare

    def start_of(self, cfg: Config) -> Start | None:
        key = ens.run_key(cfg)
        with self._lock:
            start = self._starts.get(key)
            if start is not None:
                self._starts.move_to_end(key)
            return start

    def remember(self, cfg: Config, model: BlitarModel) -> Start:
        """The month-0 view of a freshly built ``model`` of ``cfg`` (kept for other tabs)."""
        key = ens.run_key(cfg)
        with self._lock:
            start = self._starts.get(key)
        if start is None:
            start = Start.of(model)
            with self._lock:
                self._starts[key] = start
                while len(self._starts) > STARTS_KEPT:
                    self._starts.popitem(last=False)
        return start

    def model(self, cfg: Config) -> Future[BlitarModel]:
        """A month-0 model of ``cfg`` for one tab (a spare, or built now), and a new spare
        started for the next tab."""
        key = ens.run_key(cfg)
        self.touch()  # a page is opening: the next spare waits until it is drawn
        with self._lock:
            spare = self._spares.pop(key, None)
        if spare is None:
            spare = self._launch(cfg)
        spare.wanted.set()
        self.prepare(cfg)
        return spare.future

    def prepare(self, cfg: Config) -> None:
        """Start building a spare model of ``cfg`` (if none is built or being built)."""
        key = ens.run_key(cfg)
        with self._lock:
            if key in self._spares:
                return
            self._spares[key] = self._launch(cfg)

    def _launch(self, cfg: Config) -> _Spare:
        spare = _Spare()

        def build() -> None:
            while not spare.wanted.is_set() and \
                    time.monotonic() - self._last_activity < self.quiet:
                spare.wanted.wait(0.25)
            try:
                with self._build_lock:
                    model = self._build(cfg)
                self.remember(cfg, model)
            except BaseException as exc:  # noqa: BLE001 - handed to the tab that waits
                spare.future.set_exception(exc)
                return
            spare.future.set_result(model)

        threading.Thread(target=build, name="viz-model-build", daemon=True).start()
        return spare


def done(model: BlitarModel) -> Future[BlitarModel]:
    """A future that already holds ``model``."""
    f: Future[BlitarModel] = Future()
    f.set_result(model)
    return f
