"""docs/levers.md documents every lever, with metadata matching the config schema."""

from __future__ import annotations

from pathlib import Path

from simulation.config.levers import AGENCIES, all_levers

DOC = Path(__file__).resolve().parents[1] / "docs" / "levers.md"


def test_every_lever_documented_with_current_metadata():
    text = DOC.read_text()
    for lever in all_levers():
        heading = f"### `{lever.key}`"
        assert heading in text, f"{lever.key} missing from docs/levers.md"
        section = text.split(heading, 1)[1].split("\n### ", 1)[0]
        assert lever.summary() in section, f"{lever.key}: metadata line differs from config"
        assert "*Evidence / reasoning:*" in section, lever.key


def test_every_lever_has_a_known_agency():
    assert {lever.agency for lever in all_levers()} == set(AGENCIES)


def test_brief_lever_names_exist():
    keys = {lever.key for lever in all_levers()}
    brief = ["emission_charge", "emission_standard", "inspection_rate", "fine",
             "green_subsidy_share", "workshop_slots_per_year", "skills_training_seats_per_year",
             "zoning_buffer_cells", "ipal_pakunden_year", "dialogue", "research_partnership",
             "international_partnership", "umk_growth_per_year"]
    assert {f"policy.{k}" for k in brief} | {"scenario.big_plant_year"} <= keys
