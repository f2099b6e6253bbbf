"""Config sections of the city government: the policy levers (with their agency) and the budget."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from simulation.config.base import ILL, Section
from simulation.config.params import param

Switch = Literal["off", "on"]


DLH, DISPERINDAG, DPMPTSP, NAKER = "DLH", "Disperindag", "DPMPTSP", "Dinkop UM & Naker"


class PolicySection(Section):
    emission_charge: float = param(0.0, ge=0.0, le=200_000.0, unit="Rp per kg emitted",
                                   source="lever (no charge exists today)",
                                   agency=DLH, ui_step=500.0)
    emission_standard: float = param(
        2.0, ge=0.1, le=2.0, unit="max intensity relative to the sector's conventional average",
        source="lever (2.0 = not binding: firm intensities lie within 0.5-2x the average)",
        agency=DLH, ui_step=0.05)
    inspection_rate: float = param(0.05, ge=0.0, le=1.0, unit="share of manufacturers per year",
                                   source=ILL + "DLH inspection capacity; lever",
                                   agency=DLH, ui_step=0.01)
    fine: float = param(10.0, ge=0.0, le=5000.0, unit="Rp million per violation found",
                        source=ILL + "administrative fine; lever",
                        agency=DLH, ui_step=10.0, ui_max=1000.0)
    green_subsidy_share: float = param(0.0, ge=0.0, le=0.9, unit="share of green-tech cost",
                                       source="lever", agency=DISPERINDAG, ui_step=0.05)
    workshop_slots_per_year: int = param(50, ge=0, le=5000, unit="IKM firms per year",
                                         source=ILL + "Disperindag IKM coaching; lever",
                                         agency=DISPERINDAG, ui_step=10, ui_max=1000)
    workshop_awareness_gain: float = param(0.5, ge=0.0, le=1.0, unit="share of gap to 1 closed",
                                           source=ILL + "one workshop",
                                           agency=DISPERINDAG, ui_step=0.05)
    skills_training_seats_per_year: int = param(
        200, ge=0, le=20_000, unit="persons per year",
        source=ILL + "order of BLK course places a year; lever",
        agency=NAKER, ui_step=50, ui_max=5000)
    training_skill_gain: float = param(0.15, ge=0.0, le=2.0, unit="relative skill gain",
                                       source=ILL + "effect of a training course",
                                       agency=NAKER, ui_step=0.05)
    zoning_buffer_cells: int = param(0, ge=0, le=20, unit="cells from residential",
                                     source="lever (no industrial estate exists)",
                                     agency=DPMPTSP, ui_step=1)
    ipal_pakunden_year: int = param(0, ge=0, le=2101, unit="year (0 = never)",
                                    source="lever; shared IPAL proposed 2023", agency=DLH,
                                    kind="year")
    ipal_removal_share: float = param(0.8, ge=0.0, le=1.0, unit="share of BOD removed",
                                      source=ILL + "anaerobic tofu IPAL design range 70-90 %",
                                      agency=DLH, ui_step=0.05)
    dialogue: Switch = param("off", unit="off/on", source="lever", agency=DISPERINDAG)
    research_partnership: bool = param(False, unit="bool", source="lever", agency=DISPERINDAG)
    international_partnership: bool = param(False, unit="bool", source="lever",
                                            agency=DISPERINDAG)
    umk_growth_per_year: float = param(
        0.066, ge=-0.1, le=0.5, unit="1/year (nominal) after 2026",
        source="inferred: UMK 2022-2026 average growth 6.6 %/yr", agency=NAKER, ui_step=0.005)

    @field_validator("dialogue", mode="before")
    @classmethod
    def _bool_to_switch(cls, v: object) -> object:
        if isinstance(v, bool):
            return "on" if v else "off"
        return v


class BudgetSection(Section):
    central_transfer: float = param(300.0, ge=0.0, le=100_000.0, unit="Rp million per month",
                                    source=ILL + "share of central transfers for these programmes")
    initial_balance: float = param(2000.0, ge=0.0, le=1_000_000.0, unit="Rp million",
                                   source=ILL + "programme reserve at the start")
    workshop_cost: float = param(5.0, ge=0.0, le=1000.0, unit="Rp million per firm coached",
                                 source=ILL + "a multi-day coaching course per IKM")
    training_cost: float = param(4.0, ge=0.0, le=1000.0, unit="Rp million per seat",
                                 source=ILL + "a vocational course seat")
    inspection_cost: float = param(1.5, ge=0.0, le=1000.0, unit="Rp million per inspection",
                                   source=ILL + "staff time and laboratory tests")
    ipal_capex: float = param(4550.0, ge=0.0, le=1_000_000.0, unit="Rp million (city share)",
                              source="blitar_facts: shared IPAL Rp 9.1 bn, 50/50 city/province")
    ipal_opex: float = param(30.0, ge=0.0, le=10_000.0, unit="Rp million per month",
                             source=ILL + "operation and maintenance")
