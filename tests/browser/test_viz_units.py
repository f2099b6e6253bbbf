"""The browser view's logic without a browser: translations, lever checks, sessions."""

from __future__ import annotations

import json

import pytest

from simulation.config import SECTOR_NAMES, PolicySection
from simulation.viz import i18n, mapdata, panels
from simulation.viz import levers as lv
from simulation.viz.app import error_text
from simulation.viz.session import CARDS, Session, SessionError, Settings


def test_every_text_has_both_languages() -> None:
    for key, entry in i18n.TEXT.items():
        for lang in i18n.LANGS:
            if key == "scenario.desc_en_only" and lang == "en":
                continue  # deliberately empty: the description is already English
            assert entry.get(lang), f"{key} lacks {lang}"
        assert set(entry) <= set(i18n.LANGS), key


def test_every_lever_indicator_sector_and_agency_is_translated() -> None:
    for name in lv.LEVERS:
        for part in ("label", "unit", "help"):
            assert i18n.has(f"lever.{name}.{part}"), f"lever.{name}.{part}"
    for name, *_ in CARDS:
        assert i18n.has(f"ind.{name}") and i18n.has(f"ind.{name}.unit")
    for s in SECTOR_NAMES:
        assert i18n.has(f"sector.{s}")
    for agency in lv.AGENCY_ORDER:
        assert i18n.has(f"agency.{agency}")
    for name in mapdata.LANDUSE_NAMES:
        assert i18n.has(f"landuse.{name}")


def test_levers_come_from_the_schema_grouped_by_agency() -> None:
    groups = lv.by_agency()
    assert list(groups) == ["Disperindag", "DLH", "DPMPTSP", "Dinkop UM & Naker"]
    names = {x.name for g in groups.values() for x in g}
    assert names == set(PolicySection.model_fields) | {"big_plant_year"}
    assert lv.LEVERS["emission_charge"].lo == 0 and lv.LEVERS["emission_charge"].hi == 200_000


@pytest.mark.parametrize(("name", "value"), [
    ("emission_charge", -1.0), ("emission_charge", 200_001), ("emission_charge", float("nan")),
    ("emission_standard", 0.05), ("workshop_slots_per_year", 2.5), ("dialogue", "maybe"),
    ("research_partnership", 1), ("ipal_pakunden_year", 2050), ("big_plant_year", 1999),
    ("fine", "10"),
])
def test_out_of_range_or_bad_values_never_reach_the_model(name: str, value: object) -> None:
    with pytest.raises(lv.LeverError):
        lv.clean({name: value}, 2025, 2045)
    settings = Settings.from_preset("blitar")
    settings.levers[name] = value
    with pytest.raises(lv.LeverError):
        settings.model_kwargs()
    assert error_text(lv.LeverError(lv.LEVERS[name], value, "range"), "id")


def test_error_messages_are_readable_in_both_languages() -> None:
    exc = lv.LeverError(lv.LEVERS["emission_charge"], 999999, "range")
    assert "Pungutan emisi" in error_text(exc, "id") and "rentang" in error_text(exc, "id")
    assert "Emission charge" in error_text(exc, "en") and "range" in error_text(exc, "en")
    assert "akhir" in error_text(SessionError("err.end"), "id")


def test_presets_are_whatever_scenarios_exist() -> None:
    names = lv.preset_names()
    assert names[0] == "blitar"
    for name in names:
        p = lv.preset(name)
        assert set(p.levers) == set(lv.LEVERS)
        lv.clean(p.levers, p.start_year, p.end_year)


def test_sessions_are_independent_and_compare_with_baseline() -> None:
    a = Session(Settings.from_preset("blitar"))
    s = Settings.from_preset("blitar")
    s.levers["emission_charge"] = 50_000.0
    b = Session(s)
    a.step(12)
    b.step(12)
    assert a.value("emissions_air") == pytest.approx(a.value("emissions_air", baseline=True))
    assert b.value("emissions_air") < b.value("emissions_air", baseline=True)
    assert a.model is not b.model and a.baseline is not b.baseline
    assert len(b.series("grdp")) == 12 == len(b.series("grdp", baseline=True))
    html = panels.pillar_cards(b, "environment", "id")
    assert "card-emissions_air" in html and "dibanding dasar" in html
    csv = b.timeseries_csv().decode().splitlines()
    assert len(csv) == 13 and "baseline_emissions_air" in csv[0]
    manifest = json.loads(b.manifest_json())
    assert manifest["levers"]["emission_charge"] == 50_000.0
    assert manifest["months_simulated"] == 12


def test_rebuild_failure_keeps_the_previous_run() -> None:
    session = Session(Settings.from_preset("blitar"))
    session.step(2)
    bad = Settings.from_preset("blitar", seed=-1)
    with pytest.raises(SessionError):
        session.rebuild(bad)
    assert session.month == 2
    session.step(1)
    assert session.month == 3


def test_stepping_past_the_end_is_a_readable_error() -> None:
    s = Settings.from_preset("blitar", scale=50)
    s.end_year = 2026
    session = Session(s)
    session.step(100)
    assert session.finished and session.month == 12
    with pytest.raises(SessionError) as info:
        session.step(1)
    assert "akhir" in error_text(info.value, "id")


def test_map_data_shapes() -> None:
    session = Session(Settings.from_preset("blitar", scale=50))
    m = session.model
    assert len(mapdata.firm_points(m)) == 6 * int(m.firms.alive.sum())
    assert len(mapdata.household_points(m)) == 6 * m.households.n
    for layer in ("air", "water", "landuse"):
        assert mapdata.layer_image(m, layer).startswith("data:image/png;base64,")
    assert len(mapdata.boundaries(m)) % 4 == 0 and mapdata.boundaries(m)
    row = int(m.firms.alive.nonzero()[0][0])
    xy = mapdata.agent_xy(m, "firm", row)
    pts = mapdata.firm_points(m)
    assert [pts[0], pts[1]] == [xy["x"], xy["y"]]
    assert session.agent_state("firm", row)["kind"] == "firm"
    assert session.agent_state("household", 0)["kind"] == "household"
