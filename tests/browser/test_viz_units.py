"""The browser view's logic without a browser: translations, lever checks, sessions."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from simulation.config import SECTOR_NAMES, PolicySection
from simulation.viz import i18n, mapdata, panels
from simulation.viz import levers as lv
from simulation.viz import session as session_mod
from simulation.viz.app import error_text
from simulation.viz.session import CARDS, SCALES, Session, SessionError, Settings, Snapshot


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


def test_failed_baseline_build_keeps_run_baseline_and_settings(
        monkeypatch: pytest.MonkeyPatch) -> None:
    session = Session(Settings.from_preset("blitar"))
    session.step(2)
    before = (session.settings, session.model, session.baseline, session.run0, session.base0,
              session.snapshot)

    def fail(name: str, settings: Settings) -> None:
        raise SessionError("err.model", msg="baseline refused on purpose")

    monkeypatch.setattr(session_mod, "_build_baseline", fail)
    with pytest.raises(SessionError, match="on purpose"):
        session.rebuild(Settings.from_preset("blitar", seed=7))  # new seed: new baseline
    after = (session.settings, session.model, session.baseline, session.run0, session.base0,
             session.snapshot)
    assert all(a is b for a, b in zip(before, after, strict=True))
    assert session.settings.seed == 20250101 == session.model.cfg.scenario.seed
    assert session.baseline.cfg.scenario.seed == 20250101 and session.month == 2
    session.step(1)
    assert session.month == 3 == session.baseline.month == session.snapshot.month


def test_bad_scale_names_the_allowed_values() -> None:
    s = Settings.from_preset("blitar")
    s.scale = 3
    with pytest.raises(SessionError) as info:
        s.model_kwargs()
    allowed = ", ".join(map(str, SCALES))
    assert allowed in error_text(info.value, "en") and "Scale" in error_text(info.value, "en")
    assert allowed in error_text(info.value, "id") and "Skala" in error_text(info.value, "id")


def _check_snapshot(snap: Snapshot) -> None:
    k = snap.month
    for name, (run, base) in snap.series.items():
        assert len(run) == len(base) == k, name
        if k:
            assert snap.value(name) == run[-1] and snap.value(name, True) == base[-1], name
    st = snap.map
    n = st.n_households
    assert len(st.hh_members) == len(st.hh_n_workers) == len(st.hh_employed) == n
    assert (st.hh_employed <= st.hh_n_workers).all()
    assert len(mapdata.household_points(st)) == 6 * n
    assert len({len(st.firm_alive), len(st.firm_cell), len(st.firm_sector),
                len(st.firm_green), len(st.firm_workers)}) == 1
    assert len(mapdata.firm_points(st)) == 6 * int(st.firm_alive.sum())
    if k:  # the map is of the same month as the cards
        assert n * snap.settings.scale == pytest.approx(snap.value("households"), rel=1e-9)


def test_snapshots_stay_consistent_while_another_thread_steps() -> None:
    session = Session(Settings.from_preset("blitar", scale=50))
    first = session.snapshot
    done = threading.Event()
    errors: list[BaseException] = []

    def play() -> None:
        try:
            for _ in range(24):
                session.step(1)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            done.set()

    seen: list[Snapshot] = []
    thread = threading.Thread(target=play)
    thread.start()
    while not done.is_set() or not seen:
        snap = session.snapshot  # what a page render reads
        _check_snapshot(snap)
        seen.append(snap)
    thread.join()
    assert errors == []
    last = session.snapshot
    _check_snapshot(last)
    assert last.month == 24 and len({s.month for s in seen}) > 2
    # the copies are frozen: later steps did not change what an earlier snapshot shows
    assert first.month == 0 and first.map.n_households < last.map.n_households
    assert len(first.series["grdp"][0]) == 0
    assert not np.shares_memory(last.map.air, session.model.air.data)


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
    m, st = session.model, session.snapshot.map
    assert len(mapdata.firm_points(st)) == 6 * int(m.firms.alive.sum())
    assert len(mapdata.household_points(st)) == 6 * m.households.n
    assert mapdata.household_points(m) == mapdata.household_points(st)  # a model works too
    for layer in ("air", "water", "landuse"):
        assert mapdata.layer_image(st, layer).startswith("data:image/png;base64,")
    assert mapdata.layer_image(m, "air") == mapdata.layer_image(st, "air")
    assert len(mapdata.boundaries(st)) % 4 == 0 and mapdata.boundaries(st)
    row = int(m.firms.alive.nonzero()[0][0])
    xy = mapdata.agent_xy(st, "firm", row)
    pts = mapdata.firm_points(st)
    assert [pts[0], pts[1]] == [xy["x"], xy["y"]]
    assert session.agent_state("firm", row)["kind"] == "firm"
    assert session.agent_state("household", 0)["kind"] == "household"
    snap = session.select("firm", row)
    assert snap is session.snapshot and snap.selected == ("firm", row)
    assert snap.agent == session.agent_state("firm", row)
    session.step(1)  # the inspected agent's state follows the run
    assert session.snapshot.agent == session.agent_state("firm", row)
    assert session.snapshot.month == 1
    assert "map-legend" in panels.legend(session.snapshot, "air", True, True, "en")
