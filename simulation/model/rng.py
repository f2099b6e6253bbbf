"""Named random streams derived from one root seed (common random numbers).

Each random decision in the model draws from its own stream, keyed by a stable name, so
that switching a policy on (which may add or remove draws in one stream) never shifts the
draws of another: the initial population, for instance, is identical across policy arms.
"""

from __future__ import annotations

import hashlib

import numpy as np

STREAMS = (
    "population",   # households, workers, skills, homes
    "firms",        # initial firms: sizes, productivity, locations, technology
    "labour",       # separations, job search order and contacts
    "green",        # green-technology decisions
    "inspection",   # which firms DLH inspects
    "programmes",   # who gets workshop and training places
    "demography",   # new households
    "entry",        # new firms
    "social",       # complaints and relocation
    "big_plant",    # the big plant's location
    "outside",      # shocks to outside demand
    "innovation",   # firms' process improvements
    "informal",     # taking up and leaving informal work
)


def _name_key(name: str) -> int:
    # A stable 64-bit integer from the name (Python's hash() is salted per process).
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")


class RandomStreams:
    """One numpy Generator per stream name, all derived from ``root_seed``."""

    def __init__(self, root_seed: int) -> None:
        self.root_seed = int(root_seed)
        self._gens: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in STREAMS:
            raise KeyError(f"unknown random stream {name!r}; known: {', '.join(STREAMS)}")
        gen = self._gens.get(name)
        if gen is None:
            seq = np.random.SeedSequence([self.root_seed, _name_key(name)])
            gen = self._gens[name] = np.random.Generator(np.random.PCG64(seq))
        return gen
