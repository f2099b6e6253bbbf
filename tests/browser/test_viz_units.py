"""The browser view's logic without a browser: texts, levers, validation, sessions, map."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from simulation.config import SECTOR_NAMES
from simulation.config.levers import AGENCIES, LEVERS
from simulation.model import BlitarModel
from simulation.model.indicators import INDICATOR
from simulation.scenarios import available_scenarios, load_config
from simulation.viz import ensemble as ens
from simulation.viz import i18n, live, mapdata, panels
from simulation.viz import levers as lv
from simulation.viz import session as session_mod
from simulation.viz.app import error_text
from simulation.viz.session import CARDS, SCALES, Session, SessionError, Settings, Snapshot


@pytest.fixture
def ensembles(monkeypatch: pytest.MonkeyPatch) -> ens.Ensembles:
    """Ensemble runs in a thread of this process, two seeds (fast, same results)."""
    monkeypatch.setenv("BLITAR_VIZ_SEEDS", "2")
    runner = ens.Ensembles(1, executor=lambda n: ThreadPoolExecutor(n))
    yield runner
    runner.close()


def _short(name: str = "blitar", scale: int = 20, **levers: object) -> Settings:
    s = Settings.from_preset(name, scale=scale)
    s.end_year = 2027
    s.levers.update(levers)
    return s


def _wait(runner: ens.Ensembles, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while runner.busy() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not runner.busy(), "ensemble runs did not finish"


# --- texts ------------------------------------------------------------------------------
def test_every_text_has_both_languages() -> None:
    for key, entry in i18n.TEXT.items():
        for lang in i18n.LANGS:
            assert entry.get(lang), f"{key} lacks {lang}"
        assert set(entry) <= set(i18n.LANGS), key


def test_every_shown_indicator_sector_agency_and_scenario_is_translated() -> None:
    for name, _ in CARDS:
        assert i18n.has(f"ind.{name}"), name
        assert INDICATOR[name].unit in i18n.UNITS, f"unit of {name} changed in the registry"
    for s in SECTOR_NAMES:
        assert i18n.has(f"sector.{s}")
    for agency in AGENCIES:
        assert i18n.has(f"agency.{agency}")
    for name in mapdata.LANDUSE_NAMES:
        assert i18n.has(f"landuse.{name}")
    for name in available_scenarios():
        assert i18n.has(f"scenario.{name}"), name
        assert load_config(name).scenario.description_id.strip(), f"{name}: no description_id"


def test_numbers_read_the_indonesian_way() -> None:
    assert i18n.number(-1234.5, 1, "id") == "\u22121.234,5"
    assert i18n.number(1234.5, 1, "en") == "1,234.5"
    assert i18n.number(0.4, 1, "id", sign=True) == "+0,4"
    assert i18n.number(-0.001, 1, "id") == "0,0"  # no "−0,0"
    fine, charge, rate = LEVERS["fine"], LEVERS["emission_charge"], LEVERS["inspection_rate"]
    assert lv.value_text(fine, 10.0, "id") == "Rp 10 juta per pelanggaran"
    assert lv.value_text(charge, 2000.0, "id") == "Rp 2.000 per kg"
    assert lv.value_text(rate, 0.05, "id") == "5 % usaha industri per tahun"


# --- levers: one source of truth ----------------------------------------------------------
def test_lever_agency_unit_and_range_in_the_view_match_the_config() -> None:
    """The view's grouping, displayed unit and ranges come from the config's metadata; a
    unit changed in the config fails here until its display is checked."""
    groups = lv.by_agency()
    assert list(groups) == list(AGENCIES)
    for agency, metas in groups.items():
        for meta in metas:
            assert LEVERS[meta.name].agency == agency == meta.agency
    assert {m.name for g in groups.values() for m in g} == set(LEVERS)
    assert set(i18n.LEVER_DISPLAY) == set(LEVERS)
    for name, meta in LEVERS.items():
        assert i18n.LEVER_DISPLAY[name].translates == meta.unit, name
        if meta.kind in ("float", "int"):
            assert lv.from_display(meta, lv.to_display(meta, meta.low)) == pytest.approx(
                meta.low), name
            assert lv.from_display(meta, lv.to_display(meta, meta.high)) == pytest.approx(
                meta.high), name
            # the range shown is the config's (values just inside pass, just outside fail)
            lv.check_one("blitar", name, meta.high, 2025, 2045)
            with pytest.raises(lv.LeverError):
                lv.check_one("blitar", name, meta.high + (1 if meta.kind == "int" else 1e-6),
                             2025, 2045)
    assert LEVERS["big_plant_year"].agency == "Disperindag"


@pytest.mark.parametrize(("name", "value", "reason"), [
    ("emission_charge", -1.0, "range"), ("emission_charge", 200_001.0, "range"),
    ("emission_charge", float("nan"), "number"), ("emission_charge", "abc", "number"),
    ("emission_charge", None, "number"), ("fine", "10", "number"),
    ("emission_standard", 0.05, "range"), ("workshop_slots_per_year", 2.5, "integer"),
    ("workshop_slots_per_year", True, "integer"), ("dialogue", "maybe", "choice"),
    ("research_partnership", 1, "choice"), ("ipal_pakunden_year", 2050, "year"),
    ("big_plant_year", 1999, "year"),
])
def test_bad_values_are_refused_by_the_config_with_a_plain_message(
        name: str, value: object, reason: str) -> None:
    settings = Settings.from_preset("blitar")
    settings.levers[name] = value
    with pytest.raises(lv.LeverError) as info:
        settings.config()
    assert info.value.reason == reason and info.value.name == name
    text = error_text(info.value, "id")
    assert i18n.t(f"lever.{name}.label", "id") in text and "dipertahankan" in text
    assert "Traceback" not in text and "Input should" not in text


def test_seed_and_scale_are_checked_too() -> None:
    for seed, fragment in ((-1, "bilangan bulat"), ("abc", "bilangan bulat")):
        s = Settings.from_preset("blitar")
        s.seed = seed
        with pytest.raises(lv.LeverError) as info:
            s.config()
        assert fragment in info.value.text("id") and "Nomor benih" in info.value.text("id")
    for scale in (3, "huge", True):
        s = Settings.from_preset("blitar")
        s.scale = scale
        with pytest.raises(lv.LeverError) as info:
            s.config()
        allowed = ", ".join(map(str, SCALES))
        assert allowed in info.value.text("id") and "Skala" in info.value.text("id")


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("10.000", "id", 10000), ("0,5", "id", 0.5), ("Rp 2.000", "id", 2000), ("40 %", "id", 40),
    ("0.05", "id", 0.05), ("2,000.5", "en", 2000.5), ("\u22123", "id", -3),
    ("abc", "id", "abc"), ("1e5", "id", "1e5"), ("12.34.56", "id", "12.34.56"), ("", "id", ""),
])
def test_typed_numbers_are_read_in_the_page_language(text: str, lang: str,
                                                     expected: object) -> None:
    assert lv.parse_typed(text, lang) == expected


def test_presets_are_the_scenario_files_with_duplicates_merged() -> None:
    names = lv.preset_names()
    assert names[0] == "blitar"
    assert "baseline" not in names  # a named copy of blitar
    assert set(names) | {"baseline"} == set(available_scenarios())
    for name in names:
        p = lv.preset(name)
        assert set(p.levers) == set(LEVERS)
        lv.validate(name, p.levers)
        assert p.description["id"] and p.description["en"]


# --- ensemble statistics in the session ---------------------------------------------------
def test_default_run_is_identical_to_its_baseline(ensembles: ens.Ensembles) -> None:
    session = Session(_short(), ensembles=ensembles)
    _wait(ensembles)
    session.step(6)
    snap = session.snapshot
    assert snap.progress == (4, 4)
    c = snap.comparison("grdp")
    assert c.verdict == "identical" and c.n == 2
    # the baseline line is seed 0 of the ensemble: the same numbers as the live run
    np.testing.assert_array_equal(snap.series_of("grdp"), snap.series_of("grdp", True))
    assert "sama persis" in panels.all_cards(snap, "id")


def test_background_run_equals_the_live_run() -> None:
    """Same config and seed give identical series in a worker and in the page."""
    cfg = _short().config()
    series = ens.run_series(cfg.model_dump_json())
    model = BlitarModel(cfg)
    for _ in range(cfg.n_steps):
        model.step()
    for name in ("grdp", "emissions_air", "unemployment_rate"):
        np.testing.assert_array_equal(series[name], model.recorder.data[name])


def test_strong_policy_is_a_real_difference_and_rates_move_in_points(
        ensembles: ens.Ensembles) -> None:
    # the Pakunden IPAL from the first year cuts the tofu cluster's BOD by 80 %: a change
    # far outside the seeds' noise
    session = Session(_short(ipal_pakunden_year=2025), ensembles=ensembles)
    session.step(12)
    _wait(ensembles)
    session.refresh()
    snap = session.snapshot
    key = "river_concentration_downstream"
    c = snap.comparison(key)
    assert c.verdict == "distinguishable" and c.high < 0, c
    bands = snap.bands(key)
    assert {len(v) for v in bands.values()} == {12}
    assert (bands["run_high"][-6:] < bands["base_low"][-6:]).all()
    # a rate's change is told in percentage points, never also in per cent of itself
    # (tested on the text itself: whether this short run's unemployment moves by a
    # visible 0.05 points is up to the seeds)
    assert panels._delta_text("unemployment_rate", 0.0612, 0.05, 1, "id") == "+1,1 poin persen"
    assert "(" not in panels._delta_text("informal_share", 0.50, 0.52, 1, "id")
    assert "beda nyata" in panels.card(snap, key, 1, "id")
    charts = json.loads(live.charts_json(snap, "id"))
    exposure = next(c for c in charts if c["key"] == "exposure_population_weighted")
    assert exposure["standard"] == load_config("blitar").environment.air_standard
    assert len(exposure["run_low"]) == 12


def test_sessions_are_independent(ensembles: ens.Ensembles) -> None:
    a = Session(_short(), ensembles=ensembles)
    b = Session(_short(emission_charge=50_000.0), ensembles=ensembles)
    a.step(3)
    b.step(5)
    assert a.month == 3 and b.month == 5 and a.model is not b.model
    assert a.settings.levers["emission_charge"] == 0.0
    csv = b.timeseries_csv().decode().splitlines()
    assert len(csv) == 6 and "baseline_emissions_air" in csv[0]
    manifest = json.loads(b.manifest_json())
    assert manifest["levers"]["emission_charge"] == 50_000.0
    assert manifest["months_simulated"] == 5 and manifest["ensemble"]["seeds"][0] == b.cfg.\
        scenario.seed


def test_rebuild_failure_keeps_the_previous_run(ensembles: ens.Ensembles,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    session = Session(_short(), ensembles=ensembles)
    session.step(2)
    before = (session.settings, session.model, session.snapshot)
    with pytest.raises(lv.LeverError):
        session.rebuild(_short(fine=-5.0))

    def fail(cfg: object) -> None:
        raise SessionError("err.model", msg="refused on purpose")

    monkeypatch.setattr(session_mod, "_build", fail)
    with pytest.raises(SessionError):
        session.rebuild(_short(fine=20.0))
    assert (session.settings, session.model, session.snapshot) == before
    session.step(1)
    assert session.month == 3


def test_schedule_changes_are_in_force_and_on_the_timeline(ensembles: ens.Ensembles) -> None:
    s = _short("green_package")
    s.end_year = 2030  # the scenario's schedule runs to 2029
    session = Session(s, ensembles=ensembles)
    session.step(12)
    snap = session.snapshot
    assert snap.in_force["green_subsidy_share"] == 0.0
    assert "akan datang" in panels.timeline(snap, "id")
    session.step(1)
    snap = session.snapshot
    assert snap.in_force["green_subsidy_share"] == 0.4
    assert snap.in_force["workshop_slots_per_year"] == 400
    (event,) = snap.events
    assert event.month == 12 and event.who == "schedule"
    assert event.changes["green_subsidy_share"] == (0.0, 0.4)
    text = panels.timeline(snap, "id")
    assert "2026-01" in text and "0 % biaya → 40 % biaya" in text


def _check_snapshot(snap: Snapshot) -> None:
    k = snap.month
    for name, run in snap.run.items():
        assert len(run) == k, name
        if k:
            assert snap.value(name) == run[-1], name
    st = snap.map
    assert len(st.hh_members) == len(st.hh_n_workers) == len(st.hh_employed)
    assert (st.hh_employed <= st.hh_n_workers).all()
    if k:  # the map is of the same month as the cards
        assert st.n_households * snap.settings.scale == pytest.approx(
            snap.value("households"), rel=1e-9)


def test_snapshots_stay_consistent_while_another_thread_steps(
        ensembles: ens.Ensembles) -> None:
    session = Session(_short(scale=20), ensembles=ensembles)
    done = threading.Event()
    errors: list[BaseException] = []

    def play() -> None:
        try:
            for _ in range(18):
                session.step(1)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            done.set()

    seen: list[Snapshot] = []
    thread = threading.Thread(target=play)
    thread.start()
    while not done.is_set() or not seen:
        snap = session.snapshot
        _check_snapshot(snap)
        seen.append(snap)
    thread.join()
    assert errors == [] and session.snapshot.month == 18
    assert len({s.month for s in seen}) > 2


def test_stepping_past_the_end_is_a_readable_error(ensembles: ens.Ensembles) -> None:
    s = _short(scale=20)
    s.end_year = 2026
    session = Session(s, ensembles=ensembles)
    session.step(100)
    assert session.finished and session.month == 12
    with pytest.raises(SessionError) as info:
        session.step(1)
    assert "akhir" in error_text(info.value, "id")


# --- the map ---------------------------------------------------------------------------
def test_map_geometry_comes_from_the_loaded_city(ensembles: ens.Ensembles) -> None:
    session = Session(_short(scale=20), ensembles=ensembles)
    city = session.model.city
    geo = mapdata.geometry(session.snapshot.map)
    assert {x["name"] for x in geo["kelurahan_labels"]} == set(city.kelurahan_names)
    assert {x["name"] for x in geo["kecamatan_labels"]} == set(city.kecamatan_names)
    for label in geo["kelurahan_labels"]:  # each name sits inside its own kelurahan
        r, c = int(label["y"]), int(label["x"])
        assert city.kelurahan_names[city.kelurahan[r, c]] == label["name"]
    for label in geo["kecamatan_labels"]:
        r, c = int(label["y"]), int(label["x"])
        assert city.kecamatan_names[city.kecamatan[r, c]] == label["name"]
    assert len(geo["river"]) == 2 * len(city.river_course)
    assert geo["river_name"] == city.river_name and geo["cell_m"] == city.cell_size_m
    assert geo["illustrative"] == city.illustrative
    assert geo["outline"] and len(geo["kelurahan"]) >= len(city.kelurahan_names)
    xs = [x for ring in geo["outline"] for x in ring[0::2]]
    assert 0 <= min(xs) and max(xs) <= city.cols  # the outline lies on the grid
    assert "ilustratif" in panels.legend(session.snapshot, "air", True, False, "id")
    assert "baku mutu 15" in panels.legend(session.snapshot, "air", True, False, "id")


def test_map_points_and_inspection(ensembles: ens.Ensembles) -> None:
    session = Session(_short(scale=20), ensembles=ensembles)
    session.step(1)
    st = session.snapshot.map
    mfg = mapdata.firm_points(st, "manufacturing")
    services = mapdata.firm_points(st, "services")
    assert len(mfg) + len(services) == len(mapdata.firm_points(st)) == 5 * int(
        st.firm_alive.sum())
    assert len(mapdata.household_points(st)) == 6 * len(range(
        0, st.n_households, mapdata.household_step(st.n_households)))
    row = mfg[4]
    xy = mapdata.agent_xy(st, "firm", row)
    assert [mfg[0], mfg[1]] == [xy["x"], xy["y"]]
    snap = session.select("firm", row)
    assert snap.agent["kind"] == "firm" and snap.agent == session.agent_state("firm", row)
    assert "Usaha nomor" in panels.inspector(snap.agent, {"kind": "firm", "row": row}, "id")
    for layer in ("air", "water", "landuse"):
        assert mapdata.layer_image(st, layer).startswith("data:image/png;base64,")
    content = live.content(snap, live.View("id"))
    assert _firms_of(json.loads(content["map"]["firms"]), st.cols) == mfg
    assert content["map"]["households"] == "[]"


def _firms_of(codes: list[int], cols: int) -> list[int]:
    """map.vue's firmsOf in Python: mapdata.firm_codes back to firm_points' layout."""
    out, row = [], 0
    for cell, code, step in zip(codes[0::3], codes[1::3], codes[2::3], strict=True):
        row += step
        jitter = [int(1 + ((row * 0.6180339887 + salt) % 1.0) * 8) for salt in (0.1, 0.7)]
        out += [(cell % cols) * 10 + jitter[0], (cell // cols) * 10 + jitter[1], code & 7,
                code >> 3, row]
    return out


def test_many_households_are_sampled_for_the_map() -> None:
    assert mapdata.household_step(5000) == 1
    assert mapdata.household_step(47_000) == 8


# --- the command line ------------------------------------------------------------------
@pytest.mark.parametrize(("args", "fragment"), [
    (["--host", "nonsense.invalid"], "must be an IP address"),
    (["--port", "70000"], "must be 0-65535"),
    (["--host", "192.0.2.1", "--port", "0"], "cannot listen there"),
])
def test_viz_bad_address_is_a_one_line_error(args: list[str], fragment: str) -> None:
    out = subprocess.run([sys.executable, "-m", "simulation.cli", "viz", *args],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and "Traceback" not in out.stderr


def test_model_pool_prewarm_and_quiet_spares(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's first model is built before any tab asks (a tab gets it at once), and
    the next spare is built only once no tab has opened for ``quiet`` seconds."""
    from simulation.viz import warm

    built: list[float] = []

    def build(cfg: object) -> object:
        built.append(time.monotonic())
        return object()

    monkeypatch.setattr(warm.Start, "of", classmethod(lambda cls, model: ("start", model)))
    pool = warm.ModelPool(build)
    pool.quiet = 0.6
    cfg = _short().config()
    pool.prewarm(cfg)
    assert len(built) == 1
    first = pool.start_of(cfg)[1]
    opened = time.monotonic()
    got = pool.model(cfg)  # a tab opens: the prewarmed model, no build
    assert got.done() and got.result() is first
    time.sleep(0.2)
    assert len(built) == 1  # the next spare waits for a quiet server
    deadline = time.monotonic() + 30
    while len(built) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(built) == 2 and built[1] - opened >= pool.quiet
    nxt = pool.model(cfg)  # the next tab gets that spare
    assert nxt.result(timeout=30) is not first
    assert len(built) == 2
