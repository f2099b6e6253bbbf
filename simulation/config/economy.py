"""Config sections of the economy: population, labour, firms and sectors, green technology."""

from __future__ import annotations

from simulation.config.base import ILL, SECTOR_NAMES, Section
from simulation.config.params import param


class PopulationSection(Section):
    population_2024: int = param(161_204, ge=1000, le=2_000_000, unit="persons",
                                 source="BPS Kota Blitar estimate 2024")
    persons_per_household: float = param(3.45, ge=1.0, le=8.0, unit="persons/household",
                                         source="inferred: midpoint of 3.3-3.7 (blitar_facts)")
    growth_per_year: float = param(0.012, ge=-0.05, le=0.05, unit="1/year",
                                   source="inferred: BPS 2010-2024 population, ~1.2 %/yr")
    labour_force_per_person: float = param(
        0.5456, gt=0.0, le=1.0, unit="labour-force members per resident",
        source="inferred: Sakernas Aug 2023 LF 87,176 / BPS 2023 population 159,781")
    unemployment_rate_2024: float = param(0.0511, ge=0.0, lt=0.5, unit="share of labour force",
                                          source="Sakernas Aug 2024 open unemployment (TPT)")
    skill_sigma: float = param(0.35, ge=0.0, le=1.5, unit="log-sd of worker skill",
                               source=ILL + "spread of wages around the firm's pay; no data found")
    non_labour_income: float = param(
        0.5, ge=0.0, le=20.0, unit="Rp million per household per month",
        source=ILL + "transfers, remittances and informal income; no Blitar figure found")


class LabourSection(Section):
    commuting_range_km: float = param(5.0, gt=0.0, le=50.0, unit="km",
                                      source=ILL + "motorbike commute across the ~6 km city")
    separation_rate: float = param(0.012, ge=0.0, le=0.5, unit="1/month",
                                   source=ILL + "typical monthly job separation, no local data")
    search_attempts: int = param(6, ge=1, le=50, unit="firms contacted per seeker per month",
                                 source=ILL + "search intensity; sets frictional unemployment")
    wage_share: float = param(0.40, gt=0.0, lt=1.0, unit="share of value added paid as wages",
                              source=ILL + "order of Indonesia's labour share; no city figure")
    capital_share: float = param(0.30, ge=0.0, lt=1.0, unit="share of value added",
                                 source=ILL + "cost of capital and inputs out of value added")
    umk_2025: float = param(2.48145, gt=0.0, le=50.0, unit="Rp million per month",
                            source="UMK Kota Blitar 2025 (blitar_facts)")
    umk_2026: float = param(2.6346, gt=0.0, le=50.0, unit="Rp million per month",
                            source="UMK Kota Blitar 2026 (blitar_facts)")
    max_hiring_share: float = param(0.10, gt=0.0, le=1.0, unit="share of workforce per month",
                                    source=ILL + "firms grow at most this much (+1) per month")


class EconomySection(Section):
    income_growth_per_head_per_year: float = param(
        0.038, ge=-0.1, le=0.2, unit="1/year (real)",
        source="inferred: GRDP growth ~5 %/yr (BPS 2022-2024) minus population growth ~1.2 %/yr")
    productivity_growth_per_year: float = param(
        0.033, ge=-0.1, le=0.2, unit="1/year (real), within-firm trend",
        source="calibrated (experiments/calibration_report.py): with selection and "
               "reallocation between firms adding ~0.4 %/yr, labour productivity grows ~3.8 %/yr")
    inflation_per_year: float = param(0.03, ge=-0.05, le=0.5, unit="1/year",
                                      source=ILL + "inside Bank Indonesia's 2.5 ± 1 % target band")
    env_cost_price_elasticity: float = param(
        1.5, ge=0.0, le=10.0, unit="-", source=ILL + "demand response to cost passed on in prices")
    market_share_adjustment: float = param(
        0.02, ge=0.0, le=5.0, unit="1/month per unit relative cost gap",
        source=ILL + "speed at which cheaper producers win market share")
    exit_loss_months: int = param(12, ge=1, le=120, unit="months",
                                  source=ILL + "firms exit after this many months of losses")
    entry_rate_per_year: float = param(
        0.05, ge=0.0, le=1.0, unit="entrants per firm per year",
        source=ILL + "at the starting profit margin; balances closures plus job growth")
    exit_hazard_per_year: float = param(0.04, ge=0.0, le=1.0, unit="1/year",
                                        source=ILL + "closures for reasons outside the model")
    local_demand_employment_elasticity: float = param(
        0.5, ge=0.0, le=1.0, unit="-",
        source=ILL + "local multiplier: spending response to the employment rate")


class SectorConfig(Section):
    """One industry. Values for each sector are set, with sources, in the scenario file."""

    manufacturing: bool = param(True, unit="-", source="sector classification")
    initial_firms: int = param(100, ge=0, le=100_000, unit="firms at full scale",
                               source="scenario file")
    employment_share: float = param(0.01, ge=0.0, le=1.0,
                                    unit="share of employed persons at the start",
                                    source="scenario file")
    size_sigma: float = param(0.8, ge=0.0, le=3.0, unit="log-sd of firm size",
                              source="scenario file")
    productivity: float = param(8.0, gt=0.0, le=500.0,
                                unit="Rp million value added per worker per month (2025)",
                                source="scenario file")
    productivity_sigma: float = param(0.3, ge=0.0, le=2.0, unit="log-sd across firms",
                                      source="scenario file")
    wage_share: float | None = param(None, gt=0.0, lt=1.0,
                                     unit="share of value added paid as wages (None = labour)",
                                     source="scenario file")
    local_demand_share: float = param(0.5, ge=0.0, le=1.0, unit="share of sales in Blitar",
                                      source="scenario file")
    outside_demand_growth: float = param(0.05, ge=-0.5, le=0.5, unit="1/year (real)",
                                         source="scenario file")
    air_intensity: float = param(0.0, ge=0.0, le=1000.0,
                                 unit="kg PM-equivalent per Rp million value added",
                                 source="scenario file")
    water_intensity: float = param(0.0, ge=0.0, le=1000.0,
                                   unit="kg BOD per Rp million value added",
                                   source="scenario file")
    green_cost: float = param(5.0, ge=0.0, le=10_000.0, unit="Rp million per worker, one-off",
                              source="scenario file")
    green_reduction: float = param(0.6, ge=0.0, le=1.0, unit="share of emissions removed",
                                   source="scenario file")
    initial_green_share: float = param(0.05, ge=0.0, le=1.0, unit="share of firms",
                                       source="scenario file")
    initial_awareness: float = param(0.2, ge=0.0, le=1.0, unit="0-1", source="scenario file")
    cluster_kelurahan: tuple[str, ...] = param((), unit="kelurahan names",
                                               source="scenario file")
    cluster_share: float = param(0.0, ge=0.0, le=1.0, unit="share of firms in the cluster",
                                 source="scenario file")


class SectorsSection(Section):
    food_beverage: SectorConfig = SectorConfig()
    tofu_tempe: SectorConfig = SectorConfig()
    tobacco: SectorConfig = SectorConfig()
    wood_furniture: SectorConfig = SectorConfig()
    textile_batik: SectorConfig = SectorConfig()
    other_manufacturing: SectorConfig = SectorConfig()
    services: SectorConfig = SectorConfig(manufacturing=False)

    def items(self) -> list[tuple[str, SectorConfig]]:
        return [(name, getattr(self, name)) for name in SECTOR_NAMES]


class GreenTechSection(Section):
    adoption_base_rate: float = param(0.02, ge=0.0, le=1.0, unit="1/month",
                                      source=ILL + "chance an aware, able firm acts on a case")
    payback_months: float = param(36.0, gt=0.0, le=240.0, unit="months",
                                  source=ILL + "horizon over which IKM weigh savings")
    peer_radius_cells: int = param(3, ge=0, le=30, unit="cells",
                                   source=ILL + "neighbourhood for peer effects (~170 m)")
    peer_awareness_rate: float = param(0.05, ge=0.0, le=1.0, unit="1/month",
                                       source=ILL + "awareness gained from green neighbours")
    awareness_decay: float = param(0.005, ge=0.0, le=1.0, unit="1/month",
                                   source=ILL + "awareness fades without reinforcement")
    cost_decline_per_year: float = param(0.02, ge=0.0, le=0.5, unit="1/year",
                                         source=ILL + "learning curve of green technology")
    international_extra_decline: float = param(
        0.04, ge=0.0, le=0.5, unit="1/year",
        source=ILL + "extra cost decline from technology transfer when partnered")
    private_return_per_year: float = param(
        0.3, ge=0.0, le=2.0, unit="share of cost saved per year (fuel, water)",
        source=ILL + "cleaner-production measures in IKM (e.g. tofu biogas) "
                     "typically pay back in ~3 years")
    capability_barrier: float = param(2.0, ge=0.0, le=20.0, unit="x cost at zero capability",
                                      source=ILL + "perceived difficulty for IKM without know-how")
    decision_steepness: float = param(4.0, gt=0.0, le=50.0, unit="-",
                                      source=ILL + "logit steepness of the adopt decision")
