"""Config sections of the environment (air, weather, river) and of households' health.

Sources are cited by short name; the full references and the arithmetic behind every
inferred value are in docs/ODD.md (sections 7.9-7.11). "BATAN 2012-14" is the national
PM2.5 filter network reported by Rita et al. (2016), Kualitas udara (PM10 dan PM2.5) untuk
melengkapi kajian IKLH; "GBD 2021 (CREA)" are the GBD 2021 rates tabulated in the creahia
package (energyandcleanair/creahia, inst/extdata/epi/processed/epi_rate_wide_gbd2021.csv).
"""

from __future__ import annotations

from pydantic import model_validator

from simulation.config.base import ILL, Section
from simulation.config.params import param

INF = "inferred: "
_MONTHS = "calendar months (1 = January)"


class EnvironmentSection(Section):
    # --- regional background and weather -----------------------------------------------
    air_background: float = param(
        14.8, ge=0.0, le=200.0, unit="ug/m3 PM2.5, annual mean",
        source="BATAN 2012-14: Serpong 14.79 ug/m3, the lowest of the Java sites (Rita et al. "
               "2016); no rural East Java measurement found, so a suburban Java site stands in")
    background_dry_wet_ratio: float = param(
        2.76, ge=1.0, le=10.0, unit="dry-season / wet-season background",
        source=ILL + "Jakarta GBK daily means 58 vs 21 ug/m3 (Vital Strategies & ITB 2020); no "
                     "East Java seasonal series found")
    dry_months: tuple[int, ...] = param(
        (6, 7, 8, 9), unit=_MONTHS,
        source="BMKG: east monsoon Jun-Sep (Antara 2022); the other months are wet or transition")
    wet_months: tuple[int, ...] = param(
        (12, 1, 2, 3), unit=_MONTHS,
        source="BMKG: west monsoon Dec-Feb (detik 2019), rains into March; Apr-May and Oct-Nov "
               "are transitions")
    dry_wind_from_deg: float = param(
        112.5, ge=0.0, le=360.0, unit="degrees, direction the wind comes from (90 = east)",
        source="BMKG: east-southeast monsoon in the dry season (Antara 2022, 2006)")
    wet_wind_from_deg: float = param(
        247.5, ge=0.0, le=360.0, unit="degrees, direction the wind comes from (270 = west)",
        source="BMKG Juanda: south-west to west monsoon in the wet season (detik 2019)")
    wind_speed_m_s: float = param(
        2.8, gt=0.0, le=20.0, unit="m/s, monthly mean scalar speed",
        source="BMKG ranges 5-30 (dry) and 5-40 km/h (wet); station mean 2.76 m/s (Semarang, Jan "
               "2012, IPB windrose practical); no Blitar station series found")
    wind_steadiness: float = param(
        0.67, ge=0.0, le=1.0, unit="resultant / scalar wind speed in a monsoon month",
        source=ILL + "67 % of January winds from the dominant direction (Semarang 2012) taken as "
                     "the steadiness; transition months average the two monsoon vectors")
    # --- air dispersion (monthly mean = steady state of the month's weather) ------------
    mixing_height_m: float = param(
        83.0, gt=1.0, le=3000.0, unit="m, effective depth ground-level emissions mix into",
        source="calibrated: inventory + background give the BATAN 2012-14 East Java annual "
               "mean (Surabaya 17.17 ug/m3) in 2025, full scale, 3 seeds "
               "(experiments/pm25_calibration.py --scale 1 --seeds 3); low end of night-time "
               "mixing depths, so it may also absorb sources the inventory misses")
    horizontal_diffusivity_m2_s: float = param(
        25.0, ge=0.0, le=5000.0, unit="m2/s",
        source=ILL + "lateral meander of the monthly-mean plume, order of eddy diffusivity at "
                     "1-5 km scales (10-100 m2/s)")
    pm25_loss_per_day: float = param(
        0.2, ge=0.0, le=50.0, unit="1/day (deposition and removal)",
        source=ILL + "PM2.5 lives about a week in the boundary layer; negligible over the city")
    air_standard: float = param(15.0, gt=0.0, le=200.0, unit="ug/m3 PM2.5 annual",
                                source="PP 22/2021 annex VII, PM2.5 annual standard")
    # --- non-industrial emission layers -------------------------------------------------
    traffic_pm25_kg_per_person_year: float = param(
        0.24, ge=0.0, le=20.0, unit="kg PM2.5 per resident per year (exhaust)",
        source=INF + "Surakarta 2014 inventory, mobile sources 122.25 t/yr PM10 (exhaust, taken "
                     "as PM2.5; Undip J. Ilmu Lingkungan 2020) / ~0.51 M residents")
    traffic_landuse_weights: tuple[float, ...] = param(
        (1.0, 3.0, 2.0, 0.2, 0.0),
        unit="relative traffic per cell: residential, commercial, industrial, green, river",
        source=ILL + "road-density proxy by land use; no Blitar traffic counts found")
    firewood_household_share: float = param(
        0.046, ge=0.0, le=1.0, unit="share of households cooking with wood",
        source=INF + "BPS Statistik Indonesia 2023: 9.19 % of households nationally (2022), "
                     "halved for an urban kota (illustrative)")
    firewood_kg_per_household_day: float = param(
        3.0, ge=0.0, le=50.0, unit="kg wood per wood-cooking household per day",
        source=ILL + "typical household fuelwood use in rural Java, 2-5 kg/day")
    wood_pm25_g_per_kg: float = param(
        8.19, ge=0.0, le=100.0, unit="g PM2.5 per kg biomass burned in a stove or furnace",
        source="field-measured rural cooking stoves, crop residues, 8.19 +/- 4.27 g/kg PM, "
               "mostly 0.7-2.1 um (PMC3745607); wood-specific g/kg not found")
    waste_kg_per_person_day: float = param(
        0.435, ge=0.0, le=5.0, unit="kg municipal waste per resident per day",
        source=INF + "Kota Blitar ~70 t/day (blitar_facts) / 161,204 residents")
    waste_burned_share: float = param(
        0.10, ge=0.0, le=1.0, unit="share of household waste burned in the open",
        source=ILL + "BPS 2022: 65.5 % of households nationally burn some waste; collection in "
                     "a kota is far higher (BPS: urban pick-up 10x rural)")
    waste_combusted_fraction: float = param(
        0.6, ge=0.0, le=1.0, unit="share of piled waste that actually burns",
        source="Wiedinmyer et al. 2014, ES&T 48:9523 (B_frac, as used in JGCRI/CEDS)")
    waste_pm25_g_per_kg: float = param(
        9.8, ge=0.0, le=100.0, unit="g PM2.5 per kg waste burned",
        source="Akagi et al. 2011 via Wiedinmyer et al. 2014 table 1 (9.8 +/- 5.7; JGCRI/CEDS "
               "input/emissions-inventories/Wiedinmyer_domestic_waste_EF.csv)")
    # --- river ---------------------------------------------------------------------------
    river_discharge_dry_m3_s: float = param(
        2.0, gt=0.0, le=1000.0, unit="m3/s, dry season",
        source=ILL + "Kali Lahar dry-season order; no gauge data")
    river_discharge_wet_m3_s: float = param(
        5.0, gt=0.0, le=1000.0, unit="m3/s, wet season (transitions: geometric mean)",
        source=INF + "dry value x 2.5, the wet/dry ratio of Kali Surabaya (50-100 vs 20-40 m3/s, "
                     "PJT I 2008)")
    river_velocity_m_s: float = param(0.3, gt=0.0, le=10.0, unit="m/s",
                                      source=ILL + "small lowland river")
    river_decay_per_day: float = param(
        0.34, ge=0.0, le=10.0, unit="1/day (BOD deoxygenation k1)",
        source="Kali Krukut 0.29-0.39/day (JTL 26(2) 2020); median 0.344 in river water "
               "(Nuruzzaman et al. 2018, EER 23(1))")
    river_reaeration_per_day: float = param(
        2.0, ge=0.0, le=50.0, unit="1/day (reaeration k2)",
        source="Kali Krukut 1.6-4.5/day (JTL 26(2) 2020), lower end for a slower reach")
    water_temperature_c: float = param(
        27.0, ge=0.0, le=40.0, unit="degrees C",
        source=ILL + "tropical lowland river; sets oxygen saturation (7.9 mg/L at 27 C)")
    inflow_do_saturation: float = param(
        0.9, ge=0.0, le=1.0, unit="share of saturation at the upstream edge",
        source=ILL + "Kali Lahar arrives from Kabupaten Blitar mostly reaerated")
    river_background_mg_l: float = param(2.0, ge=0.0, le=100.0, unit="mg/L BOD",
                                         source=ILL + "inflow from Kabupaten Blitar upstream")
    water_standard_mg_l: float = param(3.0, gt=0.0, le=100.0, unit="mg/L BOD",
                                       source="PP 22/2021 annex VI class II river BOD standard")
    do_standard_mg_l: float = param(4.0, gt=0.0, le=20.0, unit="mg/L dissolved oxygen, minimum",
                                    source="PP 22/2021 annex VI class II river DO standard")
    river_exposure_cells: float = param(3.0, ge=0.0, le=50.0, unit="cells (~57 m each)",
                                        source=ILL + "riverbank settlements such as Krantil")

    @model_validator(mode="after")
    def _months(self) -> EnvironmentSection:
        for name in ("dry_months", "wet_months"):
            months = getattr(self, name)
            if any(not 1 <= m <= 12 for m in months) or len(set(months)) != len(months):
                raise ValueError(f"environment.{name} = {list(months)}; allowed: distinct "
                                 "calendar months 1-12")
        if set(self.dry_months) & set(self.wet_months):
            raise ValueError("environment.dry_months and wet_months overlap; allowed: "
                             "disjoint sets of months")
        if len(self.traffic_landuse_weights) != 5 or min(self.traffic_landuse_weights) < 0:
            raise ValueError("environment.traffic_landuse_weights must be 5 weights >= 0 "
                             "(residential, commercial, industrial, green, river)")
        return self


class HealthSection(Section):
    initial_health: float = param(
        0.95, ge=0.0, le=1.0, unit="share of full working capacity without pollution",
        source=ILL + "ordinary illness and other limits on work, before pollution")
    productivity_weight: float = param(0.5, ge=0.0, le=1.0, unit="-",
                                       source=ILL + "labour lost per unit of health lost")
    # --- PM2.5 mortality: GEMM NCD+LRI, adults 25+ (no threshold above the counterfactual)
    gemm_theta: float = param(0.1430, ge=0.0, le=1.0, unit="-",
                              source="Burnett et al. 2018 PNAS, GEMM NCD+LRI 25+ with China "
                                     "(SE 0.01807)")
    gemm_alpha: float = param(1.6, gt=0.0, le=100.0, unit="ug/m3",
                              source="Burnett et al. 2018, GEMM NCD+LRI")
    gemm_mu: float = param(15.5, ge=0.0, le=100.0, unit="ug/m3",
                           source="Burnett et al. 2018, GEMM NCD+LRI")
    gemm_nu: float = param(36.8, gt=0.0, le=200.0, unit="ug/m3",
                           source="Burnett et al. 2018, GEMM NCD+LRI")
    counterfactual_ugm3: float = param(2.4, ge=0.0, le=20.0, unit="ug/m3 PM2.5",
                                       source="Burnett et al. 2018: lowest cohort exposure")
    ncd_lri_deaths_per_100k: float = param(
        646.0, ge=0.0, le=5000.0, unit="deaths per 100,000 residents per year",
        source="GBD 2021 (CREA), East Java, non-communicable diseases + LRI")
    dalys_per_death: float = param(
        34.6, ge=0.0, le=100.0, unit="DALYs per NCD+LRI death",
        source=INF + "GBD 2021 (CREA) East Java NCD+LRI DALYs (YLL + YLD) / deaths")
    # --- PM2.5 morbidity (log-linear, no threshold)
    admission_rr_per_10: float = param(
        1.019, ge=1.0, le=2.0, unit="relative risk per 10 ug/m3",
        source="WHO HRAPIE 2013: respiratory hospital admissions, all ages, 1.0190 "
               "(0.9982-1.0402)")
    admissions_per_100k: float = param(
        1000.0, ge=0.0, le=20000.0, unit="respiratory admissions per 100,000 per year",
        source=ILL + "no Indonesian or East Java rate found; order of rates used with HRAPIE")
    work_loss_rr_per_10: float = param(
        1.046, ge=1.0, le=2.0, unit="relative risk of a work day lost per 10 ug/m3",
        source="WHO HRAPIE work days lost 1.046 (1.039-1.053), via creahia CRFs.csv")
    sick_day_share: float = param(
        0.028, ge=0.0, le=0.5, unit="share of working days lost to sickness at baseline",
        source=ILL + "about 7 of 250 days; no Indonesian sick-leave statistic found")
    # --- water pathway: diarrhoea among riverbank households using river water
    diarrhoea_per_person_year: float = param(
        0.23, ge=0.0, le=10.0, unit="episodes per person per year",
        source=INF + "SKI 2023 period prevalence 1.9 % (one-month recall) x 12")
    diarrhoea_rr_polluted_water: float = param(
        1.48, ge=1.0, le=10.0, unit="relative risk with poor water quality",
        source="adjusted OR 1.48 for poor water quality, SKI 2023 analysis (eaht.org)")
    river_water_use_share: float = param(
        0.3, ge=0.0, le=1.0, unit="share of riverbank households using river water",
        source=ILL + "washing and bathing in Kali Lahar near Krantil; no survey found")
    diarrhoea_days_lost: float = param(3.0, ge=0.0, le=30.0, unit="days per episode",
                                       source=ILL + "an uncomplicated episode")
    # --- valuation (2025 prices)
    vsl_rp_million: float = param(
        9760.0, ge=0.0, le=1e6, unit="Rp million per statistical life",
        source=INF + "Viscusi & Masterman 2017 US VSL USD 9.631 M x GNI ratio 3,390/56,510 "
                     "(income elasticity 1) = USD 0.578 M; x Rp 14,153/USD (CREA 2019 IDR/USD "
                     "pair) x 1.03^6 to 2025")
    admission_cost_rp_million: float = param(
        5.0, ge=0.0, le=1000.0, unit="Rp million per respiratory admission",
        source=ILL + "order of an INA-CBG inpatient tariff; cost of illness only")
    diarrhoea_cost_rp_million: float = param(
        0.15, ge=0.0, le=100.0, unit="Rp million per episode",
        source=ILL + "an outpatient visit and medicine")
    # --- nuisance, complaints and moves
    nuisance_air_ugm3: float = param(
        10.0, ge=0.0, le=100.0, unit="ug/m3 industrial PM2.5 at home (monthly mean)",
        source=ILL + "smoke residents notice, 2/3 of the annual standard from industry alone; "
                     "with it ~5 % of households are affected in 2025 (tofu cluster, polluted "
                     "reaches), below the 6-7 % the dialogue's complaint trigger was set against")
    complaint_probability: float = param(0.05, ge=0.0, le=1.0, unit="1/month",
                                         source=ILL + "nuisance-affected households who complain")
    job_loss_complaint_probability: float = param(0.10, ge=0.0, le=1.0, unit="per job lost",
                                                  source=ILL + "complaint after a layoff")
    relocation_probability: float = param(0.01, ge=0.0, le=1.0, unit="1/month",
                                          source=ILL + "affluent affected households who move")
    relocation_income_multiple: float = param(2.0, ge=0.0, le=20.0, unit="x UMK",
                                              source=ILL + "income needed to afford a move")
    relocation_candidates: int = param(6, ge=1, le=100, unit="cells viewed",
                                       source=ILL + "search effort when moving")
