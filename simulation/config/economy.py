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
    skill_sigma: float = param(0.35, ge=0.0, le=1.5, unit="log-sd of worker skill",
                               source=ILL + "spread of wages around the firm's pay; no data found")
    non_labour_income: float = param(
        0.35, ge=0.0, le=20.0, unit="Rp million per household per month (2025 prices)",
        source=ILL + "pensions, social assistance and remittances entering the city; "
                     "no Blitar figure found")


class HouseholdSection(Section):
    """Households' money: what they earn, spend locally, import and save."""

    consumption_share_poor: float = param(
        0.95, gt=0.0, le=1.2, unit="share of smoothed income spent (poorest)",
        source="inferred: Malaysian MPC 0.81 for the lowest income group (Murugasu et al. "
               "2013, economy_sources 3) plus subsistence; average propensity 74.3 % (BI "
               "Consumer Survey May 2022)")
    consumption_share_rich: float = param(
        0.55, gt=0.0, le=1.0, unit="share of smoothed income spent (richest)",
        source="inferred: spending share falls with income (Murugasu et al. 2013); calibrated "
               "so the city's average propensity is ~0.75 (BI 74.3 %)")
    income_scale: float = param(
        1.2, gt=0.0, le=50.0, unit="Rp million per person per month (2025 prices)",
        source=ILL + "income per person at which the spending share is ~1/3 of the way "
                     "from the poor to the rich share")
    smoothing_months: float = param(6.0, ge=1.0, le=60.0, unit="months",
                                    source=ILL + "households spend out of income averaged over "
                                                 "about half a year (consumption smoothing)")
    local_spending_share: float = param(
        0.65, ge=0.0, le=1.0, unit="share of consumption bought from Blitar sellers",
        source="inferred: 0.4-0.7 (economy_sources 3: ~20 % of national multipliers leak "
               "abroad; an enclave city leaks more)")
    subsistence: float = param(
        0.45, ge=0.0, le=10.0, unit="Rp million per person per month (2025 prices)",
        source=ILL + "spending households keep up out of savings when income falls (order of "
                     "the East Java poverty line)")
    buffer_months: float = param(
        3.0, ge=0.0, le=120.0, unit="months of smoothed income",
        source=ILL + "savings households keep as a buffer (buffer-stock saving)")
    wealth_spending: float = param(
        0.04, ge=0.0, le=1.0, unit="share of savings above the buffer spent per month",
        source=ILL + "spending out of wealth (Godley-Lavoie alpha2): households save in "
                     "net only while incomes grow (a stationary household saves nothing)")


class LabourSection(Section):
    commuting_range_km: float = param(5.0, gt=0.0, le=50.0, unit="km",
                                      source=ILL + "motorbike commute across the ~6 km city")
    separation_rate: float = param(0.012, ge=0.0, le=0.5, unit="1/month",
                                   source=ILL + "typical monthly job separation, no local data")
    applications: float = param(
        3.0, ge=0.0, le=50.0, unit="applications per unemployed seeker per month",
        source=ILL + "search intensity; with firms choosing among applicants it sets how "
                     "often vacancies stay open (matching friction)")
    informal_applications: float = param(
        0.3, ge=0.0, le=50.0, unit="applications per informal worker per month",
        source=ILL + "informal workers search for formal jobs less intensively")
    employed_applications: float = param(
        0.0, ge=0.0, le=50.0, unit="applications per formal employee per month",
        source=ILL + "on-the-job search; off by default")
    distance_weight: float = param(
        0.02, ge=0.0, le=10.0, unit="skill units per km",
        source=ILL + "firms prefer applicants who live nearer (reliability, commuting)")
    wage_share: float = param(0.19, gt=0.0, lt=1.0,
                              unit="firm pay level per skill unit / value added per worker",
                              source=ILL + "set so formal pay averages ~Rp 3 million "
                                           "(Jatim employees Rp 2.65 million, Aug 2023)")
    wage_step_up: float = param(
        0.005, ge=0.0, le=0.2, unit="1/month",
        source=ILL + "a firm that could not fill its vacancies raises its pay level "
                     "(wage curve elasticity ~-0.1, Blanchflower & Oswald 1992, emerges)")
    wage_step_down: float = param(
        0.002, ge=0.0, le=0.2, unit="1/month",
        source=ILL + "a firm that laid off workers or filled every vacancy at once lets its "
                     "pay level slip (above the UMK floor)")
    wage_norm_adjustment: float = param(
        0.03, ge=0.0, le=1.0, unit="share of the gap to the pay norm closed per month",
        source=ILL + "firms' pay drifts back to their norm (labour.wage_share x value added "
                     "per worker, at current prices) between tightness-driven changes")
    umk_2025: float = param(2.48145, gt=0.0, le=50.0, unit="Rp million per month",
                            source="UMK Kota Blitar 2025 (blitar_facts)")
    umk_2026: float = param(2.6346, gt=0.0, le=50.0, unit="Rp million per month",
                            source="UMK Kota Blitar 2026 (blitar_facts)")
    max_hiring_share: float = param(0.10, gt=0.0, le=1.0, unit="share of workforce per month",
                                    source=ILL + "firms grow at most this much (+1) per month")
    health_days_lost: float = param(
        0.5, ge=0.0, le=1.0, unit="share of work days lost per unit of health lost",
        source=ILL + "sick days: less work supplied (on top of lower productivity at work)")


class InformalSection(Section):
    """Informal work: own-account, family and household industries (Sakernas definition)."""

    take_up_rate: float = param(
        0.35, ge=0.0, le=1.0, unit="1/month (at earnings equal to the reservation)",
        source=ILL + "calibrated so open unemployment settles near Sakernas 2024 (5.11 %)")
    reservation: float = param(
        0.70, ge=0.0, le=5.0, unit="x UMK x skill",
        source=ILL + "informal earnings a job seeker accepts; higher-skilled (educated) "
                     "seekers queue for formal jobs (TPT is highest among SMA/SMK leavers); "
                     "calibrated with take_up_rate so 2025 open unemployment is near Sakernas "
                     "5.11 % at full scale (0.65 -> 0.70 after issues 11/15 moved it to 4.4 %)")
    take_up_steepness: float = param(4.0, gt=0.0, le=50.0, unit="-",
                                     source=ILL + "logit steepness of the take-up decision")
    quit_rate: float = param(
        0.015, ge=0.0, le=1.0, unit="1/month",
        source=ILL + "informal workers who stop to search full time (when earnings fall "
                     "below the reservation)")
    cluster_household_share: float = param(
        0.2, ge=0.0, le=1.0, unit="share of households in a craft cluster's kelurahan",
        source=ILL + "households of Pakunden, Turi, Sentul/Ngadirejo running the cluster's "
                     "household industry (tofu/tempe, batik, kendang)")
    emission_factor: float = param(
        1.5, ge=0.0, le=10.0, unit="x the sector's formal intensity",
        source=ILL + "household industries burn wood and discharge untreated (blitar_facts: "
                     "half of Pakunden's tofu makers dumped wastewater, 2016)")
    initial_share: float = param(
        0.45, ge=0.0, le=1.0, unit="share of the employed at the start of the burn-in",
        source=ILL + "a starting guess only: the settled share emerges in the burn-in")
    formalisation_uplift: float = param(
        1.5, gt=0.0, le=10.0, unit="x the productivity of its informal work",
        source=ILL + "a registered enterprise reaches formal buyers and credit; only those "
                     "that can then pay the UMK register")
    formalisation_rate: float = param(
        0.002, ge=0.0, le=1.0, unit="1/month per informal household enterprise",
        source=ILL + "registration of household industries (NIB); raised by coaching")


class EconomySection(Section):
    inflation_per_year: float = param(0.03, ge=-0.05, le=0.5, unit="1/year",
                                      source=ILL + "inside Bank Indonesia's 2.5 ± 1 % target band")
    provincial_growth_per_year: float = param(
        0.05, ge=-0.1, le=0.2, unit="1/year (real)",
        source="Jatim growth 4.96 % (2024, suarasurabaya.net via economy_sources 1); the "
               "growth term of the UMK formula")
    technology_growth_per_year: float = param(
        0.037, ge=-0.1, le=0.2, unit="1/year",
        source=ILL + "growth of sectors' best practice (imported equipment, national "
                     "technology); calibrated with reallocation between firms to GRDP growth "
                     "~5 %/yr (experiments/calibration_report.py)")
    price_adjustment: float = param(
        0.25, ge=0.0, le=1.0, unit="share of the gap to mark-up pricing closed per month",
        source=ILL + "prices follow unit costs with a lag of a few months")
    export_price_elasticity: float = param(
        1.5, ge=0.0, le=10.0, unit="-",
        source=ILL + "outside buyers' response to Blitar prices relative to outside prices")
    outside_shock_sd: float = param(
        0.008, ge=0.0, le=0.5, unit="log-sd per month",
        source=ILL + "month-to-month shocks to each sector's outside demand (AR(1))")
    outside_shock_persistence: float = param(
        0.95, ge=0.0, lt=1.0, unit="AR(1) coefficient per month",
        source=ILL + "regional demand swings last a year or two")
    market_share_adjustment: float = param(
        0.05, ge=0.0, le=5.0, unit="1/month per unit relative cost gap",
        source=ILL + "speed at which cheaper producers win market share")
    capital_cost_share: float = param(
        0.3, ge=0.0, lt=1.0, unit="share of value added",
        source=ILL + "depreciation and interest: equipment and buildings are replaced (bought "
                     "partly in Blitar, mostly outside) and loans serviced (outside lenders)")
    overhead_umk: float = param(
        0.5, ge=0.0, le=100.0, unit="x UMK per firm per month",
        source=ILL + "fixed costs of a registered firm (premises, utilities, permits, "
                     "bookkeeping); set so the burn-in keeps the IKM base near Disperindag's "
                     "2,110 units (experiments/calibration_report.py)")
    dividend_share: float = param(
        0.6, ge=0.0, le=1.0, unit="share of profit paid to the owner",
        source=ILL + "IKM owners live from their firm's profit")
    cash_target_months: float = param(
        3.0, ge=0.0, le=120.0, unit="months of wage bill",
        source=ILL + "cash a firm keeps; what it retains beyond this is paid to its owner")
    investment_share: float = param(
        0.3, ge=0.0, le=1.0, unit="share of retained profit invested",
        source=ILL + "investment in equipment and process upgrades")
    investment_local_share: float = param(
        0.4, ge=0.0, le=1.0, unit="share of investment bought in Blitar",
        source=ILL + "construction and installation local, machines from outside")
    innovation_rate: float = param(
        1.0, ge=0.0, le=100.0, unit="1/month per unit of investment / sales",
        source=ILL + "chance of a process improvement rises with investment intensity")
    innovation_sd: float = param(
        0.06, ge=0.0, le=1.0, unit="log-sd of a productivity jump",
        source=ILL + "size of a process improvement")
    productivity_reversion: float = param(
        0.03, ge=0.0, le=1.0, unit="1/month",
        source=ILL + "a firm's lead or lag behind its sector's best practice erodes (others "
                     "copy leaders, laggards learn): half-life ~2 years")
    exit_cash_months: float = param(
        6.0, ge=0.0, le=120.0, unit="months of wage bill",
        source=ILL + "a firm closes when losses have used its cash and this much credit")
    exit_hazard_per_year: float = param(
        0.02, ge=0.0, le=1.0, unit="1/year",
        source=ILL + "closures for reasons outside the model (owner retires, moves)")
    entry_attempts_per_year: float = param(
        0.08, ge=0.0, le=2.0, unit="would-be entrants per firm per year",
        source=ILL + "BIES 2006: ~10 % of Indonesian manufacturers renewed per year; entrants "
                     "enter only if they break even at current prices")
    entrant_productivity: float = param(
        0.85, gt=0.0, le=2.0, unit="x the sector's mean productivity",
        source=ILL + "entrants start behind incumbents and learn (imitation), so young firms "
                     "make losses and close more often")
    startup_capital_months: float = param(
        6.0, ge=0.0, le=120.0, unit="months of the entrant's expected value added",
        source=ILL + "premises and equipment an entrant buys up front from its owner's "
                     "savings (no start-up credit): only households with savings can found "
                     "firms")
    entrant_equity_months: float = param(
        3.0, ge=0.0, le=60.0, unit="months of wage bill",
        source=ILL + "owners' start-up cash")
    government_spending: float = param(
        45_000.0, ge=0.0, le=10_000_000.0, unit="Rp million per month (2025)",
        source="inferred: DAU 2020 Rp 443.9 bn/yr (~6.6 % of GRDP, economy_sources 3) grown "
               "to 2025; spent on local services (public administration, schools, health)")
    government_local_share: float = param(
        0.8, ge=0.0, le=1.0, unit="share of city spending bought in Blitar",
        source=ILL + "salaries and local services; the rest buys goods from outside")
    burn_in_months: int = param(
        120, ge=0, le=600, unit="months",
        source=ILL + "months simulated with trends frozen before January of start_year, so "
                     "the first month is the model's own settled state")


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
                                     unit="firm pay level per skill unit / value added "
                                          "(None = labour.wage_share)",
                                     source="scenario file")
    intermediate_share: float = param(0.5, ge=0.0, lt=1.0,
                                      unit="share of sales spent on inputs (bought outside)",
                                      source="scenario file")
    consumption_share: float = param(0.0, ge=0.0, le=1.0,
                                     unit="share of households' local spending",
                                     source="scenario file")
    informal_share: float = param(0.0, ge=0.0, le=1.0,
                                  unit="share of households' spending on the sector bought "
                                       "from informal producers",
                                  source="scenario file")
    free_entry: bool = param(True, unit="-",
                             source="scenario file (False: entry needs a licence the model "
                                    "does not grant, e.g. cigarette factories' NPPBKC)")
    outside_ownership: float = param(0.0, ge=0.0, le=1.0,
                                     unit="share of the sector's firms owned outside the city",
                                     source="scenario file")
    informal_productivity: float = param(2.5, gt=0.0, le=100.0,
                                         unit="Rp million value added per informal worker per "
                                              "month (2025), at full demand",
                                         source="scenario file")
    outside_demand_growth: float = param(0.05, ge=-0.5, le=0.5, unit="1/year (real)",
                                         source="scenario file")
    air_intensity: float = param(0.0, ge=0.0, le=1000.0,
                                 unit="kg PM2.5 per Rp million real value added (2025 prices)",
                                 source="scenario file (emission inventory, docs/ODD.md 7.9)")
    water_intensity: float = param(0.0, ge=0.0, le=1000.0,
                                   unit="kg BOD5 reaching the river per Rp million real value "
                                        "added (2025 prices)",
                                   source="scenario file (emission inventory, docs/ODD.md 7.9)")
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
