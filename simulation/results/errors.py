"""Faults of the environment that are not bad input: the CLI gives each its own exit status
(see ``blitar-sim --help``). Bad input is :class:`simulation.scenarios.ConfigError`."""

from __future__ import annotations

from typing import Any


class ClusterLost(RuntimeError):
    """The Dask scheduler (or every worker) stopped answering during a sweep; the runs
    completed before are committed and a rerun resumes."""


class OtherModelVersion(RuntimeError):
    """A recorded run needs another model version to reproduce; ``commands`` rebuild it."""

    def __init__(self, message: str, commands: list[str], plan: Any = None) -> None:
        super().__init__(message)
        self.commands = commands
        self.plan = plan  # a simulation.results.rebuild.RebuildPlan


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that clean-up runs as for Ctrl+C."""
