"""The model: the monthly schedule, the Mesa agents, their state tables and random streams.

Owns :class:`BlitarModel` (the schedule that calls the parts in order), the agents
(:mod:`.agents`), the struct-of-arrays state (:mod:`.state`), the named random streams
(:mod:`.rng`) and the monthly indicators it records (:mod:`.indicators`). Domain code:
it may import ``config``, ``scenarios``, ``economy``, ``society``, ``environment`` and
``policy``, never ``results``, ``sweep``, ``viz``, ``commands``, ``api`` or ``cli``.
"""

from simulation.model.blitar_model import BlitarModel

__all__ = ["BlitarModel"]
