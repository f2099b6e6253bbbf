"""The model: the monthly schedule, the Mesa agents, their state tables and random streams.

Owns :class:`BlitarModel` (the schedule that calls the parts in order), the agents
(:mod:`.agents`), the struct-of-arrays state (:mod:`.state`), the named random streams
(:mod:`.rng`) and the monthly indicators it records (:mod:`.indicators`). Domain code:
it may import ``config``, ``scenarios``, ``economy``, ``society``, ``environment`` and
``policy``, never ``results``, ``sweep``, ``viz``, ``commands``, ``api`` or ``cli``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulation.model.blitar_model import BlitarModel

__all__ = ["BlitarModel"]


def __getattr__(name: str) -> Any:
    # Imported on first use: the parts (economy, policy) import model.state, and an eager
    # import of the schedule here would make that a cycle.
    if name == "BlitarModel":
        from simulation.model.blitar_model import BlitarModel
        return BlitarModel
    raise AttributeError(f"module 'simulation.model' has no attribute {name!r}")
