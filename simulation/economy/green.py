"""Green-technology adoption by manufacturers (IKM and plants).

A firm that has not adopted becomes aware of the option (workshops, green neighbours)
and, when it considers it (chance ``adoption_base_rate`` x awareness per month), adopts
with a logit probability in the ratio of expected benefit to perceived cost:

  benefit        = payback_months x (charge x kg avoided + private savings + fine risk avoided)
  (private savings - fuel, water - are a return on the 2025 cost of the technology: they do
  not shrink when learning or technology transfer make the equipment cheaper)
  perceived cost = cost x (1 - subsidy) x (1 + capability_barrier x (1 - capability))

so a firm without know-how sees the technology as dearer than it is: capability, not only
price, can be the barrier (workshops raise capability). Draws come from the ``green``
stream.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from simulation.config import GreenTechSection
from simulation.model.state import Table


def neighbourhood_green_share(firms: Table, is_mfg: np.ndarray, rows: int, cols: int,
                              radius: int) -> np.ndarray:
    """Share of green firms among live manufacturers within ``radius`` cells (a square
    window, via 2-D cumulative sums), read at every firm's cell."""
    live = firms.alive & is_mfg
    r, c = np.divmod(firms.cell, cols)
    r0, r1 = np.clip(r - radius, 0, rows), np.clip(r + radius + 1, 0, rows)
    c0, c1 = np.clip(c - radius, 0, cols), np.clip(c + radius + 1, 0, cols)
    green = _window_counts(firms.cell[live & firms.green], r0, r1, c0, c1, rows, cols)
    total = _window_counts(firms.cell[live], r0, r1, c0, c1, rows, cols)
    return green / np.maximum(total, 1)


@njit(cache=True)
def _window_counts(cells, r0, r1, c0, c1, rows, cols):
    """How many of ``cells`` (flat indices) lie in each window rows r0..r1-1, columns
    c0..c1-1, from a summed-area table. Whole counts: exact, and only the windows asked for
    are read (grid-wide window sums cost more than the rest of the adoption step)."""
    cum = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    for i in range(cells.shape[0]):
        cum[cells[i] // cols + 1, cells[i] % cols + 1] += 1
    for r in range(1, rows + 1):
        for c in range(1, cols + 1):
            cum[r, c] += cum[r - 1, c] + cum[r, c - 1] - cum[r - 1, c - 1]
    out = np.empty(r0.shape[0], dtype=np.int64)
    for i in range(r0.shape[0]):
        out[i] = cum[r1[i], c1[i]] - cum[r0[i], c1[i]] - cum[r1[i], c0[i]] + cum[r0[i], c0[i]]
    return out


@dataclass(frozen=True)
class AdoptionContext:
    """What a firm weighs this month (set by the regulator and the economy)."""

    charge_rp_per_kg: float      # emission charge
    subsidy_share: float         # share of cost the city pays (0 while its balance is empty)
    cost_index: float            # green-tech cost relative to 2025 (learning, partnerships)
    price: float                 # price level relative to 2025
    fine_risk: np.ndarray        # expected fines per month avoided by adopting (per firm)


def adopt(firms: Table, is_mfg: np.ndarray, rows: int, cols: int, gt: GreenTechSection,
          green_cost: np.ndarray,
          green_reduction: np.ndarray, ctx: AdoptionContext,
          rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Update awareness and decide adoption. Returns (adopting rows, their gross cost in
    Rp million); the caller books the firm's share and the subsidy."""
    peer = neighbourhood_green_share(firms, is_mfg, rows, cols, gt.peer_radius_cells)
    a = firms.awareness
    a += gt.peer_awareness_rate * peer * (1.0 - a) - gt.awareness_decay * a
    np.clip(a, 0.0, 1.0, out=a)

    cand = np.flatnonzero(firms.alive & is_mfg & ~firms.green
                          & (firms.workers > 0))
    if cand.size == 0:
        return cand, np.zeros(0)
    sec = firms.sector[cand]
    consider = rng.random(cand.size) < gt.adoption_base_rate * a[cand]
    cand, sec = cand[consider], sec[consider]
    gross = green_cost[sec] * firms.workers[cand] * ctx.price  # at 2025 technology cost
    cost = gross * ctx.cost_index
    avoided_kg = (firms.emission_air[cand] + firms.emission_water[cand]) * green_reduction[sec]
    monthly = (ctx.charge_rp_per_kg * avoided_kg / 1e6
               + gt.private_return_per_year / 12.0 * gross + ctx.fine_risk[cand])
    benefit = gt.payback_months * monthly
    perceived = cost * (1.0 - ctx.subsidy_share) * (
        1.0 + gt.capability_barrier * (1.0 - firms.capability[cand]))
    ratio = benefit / np.maximum(perceived, 1e-12)
    p = 1.0 / (1.0 + np.exp(-gt.decision_steepness * (ratio - 1.0)))
    yes = rng.random(cand.size) < p
    rows_adopting = cand[yes]
    firms.green[rows_adopting] = True
    # the savings the decision counted (fuel, water) lower the firm's input bill from now on
    firms.green_saving[rows_adopting] = gt.private_return_per_year / 12.0 * gross[yes] \
        / ctx.price
    return rows_adopting, cost[yes]
