"""The minimum wage (UMK) path: the decreed 2025 and 2026 values, then the national rule.

PP 51/2023 (and PP 49/2025, which widens alpha): UMK(t+1) = UMK(t) x (1 + inflation +
alpha x growth), never lower than the year before. ``umk_rule = "fixed"`` applies a fixed
yearly growth instead (the earlier lever, kept as an override). Amounts in Rp million/month.
"""

from __future__ import annotations

from simulation.config import Config, PolicySection


def decreed_umk(cfg: Config, year: int, levers: PolicySection) -> float | None:
    """The decreed UMK for 2025 and 2026 (earlier years back-cast at the fixed growth);
    None for later years, which follow the rule."""
    lab = cfg.labour
    if year <= 2025:
        return lab.umk_2025 / (1.0 + levers.umk_growth_per_year) ** (2025 - year)
    if year == 2026:
        return lab.umk_2026
    return None


def next_umk(cfg: Config, year: int, previous: float, levers: PolicySection) -> float:
    """January's UMK for ``year`` given last year's, under the levers in force."""
    decreed = decreed_umk(cfg, year, levers)
    if decreed is not None:
        return decreed
    if levers.umk_rule == "fixed":
        return previous * (1.0 + levers.umk_growth_per_year)
    eco = cfg.economy
    rise = eco.inflation_per_year + levers.umk_alpha * eco.provincial_growth_per_year
    return previous * (1.0 + max(rise, 0.0))  # the UMK never falls
