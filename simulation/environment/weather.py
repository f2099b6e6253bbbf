"""Monthly weather climatology: monsoon wind, regional PM2.5 background, river discharge.

The year has three kinds of month (config ``dry_months``, ``wet_months``, the rest are
transitions). In a monsoon month the mean (resultant) wind blows from that monsoon's
direction at ``wind_steadiness`` x the scalar speed; a transition month averages the two
monsoon vectors (they nearly cancel, leaving a weak drift). The regional background is
higher in the dry season: raw weights dry = r, transition = sqrt(r), wet = 1 (r =
``background_dry_wet_ratio``), scaled so the 12 months average ``air_background``. River
discharge is the dry or wet value, the geometric mean of the two in transitions.

Grid convention (as the air kernel): u > 0 blows towards increasing column (east), v > 0
towards increasing row (south).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulation.config import EnvironmentSection

DRY, WET, TRANSITION = "dry", "wet", "transition"


@dataclass(frozen=True)
class MonthWeather:
    season: str
    wind_u_m_s: float       # resultant wind towards east
    wind_v_m_s: float       # resultant wind towards south
    background_ugm3: float  # regional PM2.5 background this month
    discharge_m3_s: float   # Kali Lahar discharge


def wind_vector(from_deg: float, speed: float) -> tuple[float, float]:
    """(u towards east, v towards south) in m/s of a wind blowing *from* ``from_deg``."""
    rad = math.radians(from_deg)
    return -speed * math.sin(rad), speed * math.cos(rad)


def season_of(env: EnvironmentSection, month: int) -> str:
    """Season of calendar month ``month`` (1-12)."""
    if month in env.dry_months:
        return DRY
    if month in env.wet_months:
        return WET
    return TRANSITION


def climatology(env: EnvironmentSection) -> tuple[MonthWeather, ...]:
    """The 12 months of weather, index 0 = January."""
    speed = env.wind_steadiness * env.wind_speed_m_s
    dry = wind_vector(env.dry_wind_from_deg, speed)
    wet = wind_vector(env.wet_wind_from_deg, speed)
    wind = {DRY: dry, WET: wet,
            TRANSITION: (0.5 * (dry[0] + wet[0]), 0.5 * (dry[1] + wet[1]))}
    r = env.background_dry_wet_ratio
    raw = {DRY: r, WET: 1.0, TRANSITION: math.sqrt(r)}
    seasons = [season_of(env, m) for m in range(1, 13)]
    norm = 12.0 / sum(raw[s] for s in seasons)
    q_dry, q_wet = env.river_discharge_dry_m3_s, env.river_discharge_wet_m3_s
    discharge = {DRY: q_dry, WET: q_wet, TRANSITION: math.sqrt(q_dry * q_wet)}
    return tuple(MonthWeather(s, wind[s][0], wind[s][1], env.air_background * raw[s] * norm,
                              discharge[s]) for s in seasons)
