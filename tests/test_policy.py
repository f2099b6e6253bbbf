"""Levers at work: schedules, named scenarios, the budget rule, the dialogue forum."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model import BlitarModel
from simulation.policy import forum
from simulation.results.facts import run_facts
from simulation.scenarios import ConfigError, available_scenarios, load_config

QUICK = ["scenario.scale=50", "scenario.end_year=2029"]


def run(cfg):
    m = BlitarModel(cfg)
    m.run()
    return m


def test_named_scenarios_exist_and_run():
    names = set(available_scenarios())
    assert {"baseline", "green_package", "big_plant", "ipal_pakunden", "strict_zoning",
            "dialogue"} <= names
    for name in names:
        cfg = load_config(name, ["scenario.scale=50", "scenario.end_year=2030"])
        assert cfg.scenario.description.startswith(("Policy question", "The calibrated"))
        assert len(run(cfg).timeseries()) == 60


def test_schedule_changes_lever_from_its_date():
    cfg = load_config("blitar", QUICK + ['schedule.2027-07.emission_charge=8000'])
    m = BlitarModel(cfg)
    while m.month < 30:  # through June 2027
        m.step()
    assert m.regulator.levers.emission_charge == 0.0
    m.step()  # July 2027
    assert m.regulator.levers.emission_charge == 8000.0
    df = m.timeseries()
    assert df["regulator_revenue"].iloc[30] > df["regulator_revenue"].iloc[29] + 1.0


@pytest.mark.parametrize(("override", "message"), [
    ("schedule.2050.emission_charge=1", "outside the horizon"),
    ("schedule.2027.emision_charge=1", "unknown lever"),
    ("schedule.2027.emission_charge=-3", "schedule.2027.emission_charge = -3"),
    ("schedule.27.emission_charge=1", "use YYYY or YYYY-MM"),
    ("schedule.2027-13.emission_charge=1", "use YYYY or YYYY-MM"),
])
def test_bad_schedules_are_clear_errors(override, message):
    with pytest.raises(ConfigError, match=message):
        load_config("blitar", QUICK + [override])


def test_scheduled_zoning_rezones_entry_sites():
    cfg = load_config("blitar", QUICK + ["schedule.2026.zoning_buffer_cells=3"])
    m = BlitarModel(cfg)
    before = m.economy.entry_sites.spread(True)[0].size
    for _ in range(13):
        m.step()
    assert m.economy.entry_sites.spread(True)[0].size < before


def test_budget_never_spends_money_it_does_not_have():
    cfg = load_config("blitar", QUICK + [
        "budget.programme_budget=100",
        "policy.workshop_slots_per_year=2000", "policy.skills_training_seats_per_year=5000",
        "policy.green_subsidy_share=0.9", "policy.inspection_rate=1.0"])
    df = run(cfg).timeseries()
    assert (df["budget_balance"] >= -1e-9).all()
    # programmes were cut to what the appropriation pays (no charge: no other revenue)
    yearly = df.groupby(df["date"].dt.year)
    assert (yearly["regulator_spending"].sum() <= yearly["programme_budget"].first() + 1e-6).all()
    assert (yearly["regulator_spending"].sum() > 0.5 * yearly["programme_budget"].first()).all()


def test_dialogue_forum_moves_levers_within_bounds():
    # low triggers so that the forum acts on this short run (today's city is below them)
    cfg = load_config("dialogue", QUICK + ["forum.unemployment_trigger=0.01",
                                           "forum.complaint_trigger=0.1"])
    m = run(cfg)
    log = m.regulator.forum_log
    assert len(log) == (m.cfg.n_steps - 1) // 6
    assert all(0 <= e["inspection_rate"] <= 0.5 and 0 <= e["emission_charge"] <= 20000
               for e in log)
    assert any(e["skills_training_seats_per_year"] != 200 or e["inspection_rate"] != 0.05
               for e in log), "the forum never acted"
    off = run(load_config("baseline", QUICK))
    assert off.regulator.forum_log == []
    assert off.regulator.levers == off.cfg.policy


def test_workshops_follow_the_stated_rule():
    cfg = load_config("blitar", ["scenario.scale=10", "scenario.end_year=2026",
                                 "policy.workshop_slots_per_year=100"])
    m = BlitarModel(cfg)
    f = m.firms
    eligible = np.flatnonzero(f.alive & m.is_mfg & ~f.green & ~f.anchor)
    emitted = (f.emission_air + f.emission_water).copy()  # what the rule ranks by
    before = f.workshops.copy()
    m.step()  # January: 100 places = 10 agents at scale 10
    attended = np.flatnonzero(f.workshops[: before.size] > before)
    assert attended.size == 10 and set(attended) <= set(eligible)
    tofu = eligible[f.sector[eligible] == 1]
    # the Pakunden tofu cluster attends first (its highest emitters when it has more firms
    # than places), then the highest emitters of other sectors
    tofu = tofu[np.argsort(-emitted[tofu], kind="stable")]
    assert set(tofu[:10]) <= set(attended)
    others = np.setdiff1d(attended, tofu)
    rest = np.setdiff1d(eligible, np.concatenate([tofu, others]))
    if others.size and rest.size:
        assert emitted[others].min() >= emitted[rest].max()


def test_stylized_facts_report_small_scale():
    from simulation.results.fact_rules import FACTS

    chosen = [f for f in FACTS if f.name in ("charge", "ipal", "umk_informality", "okun")]
    table = run_facts(seeds=3, scale=25, end_year=2031, facts=chosen, workers=2)
    assert list(table["fact"]) == ["charge", "ipal", "umk_informality", "okun"]
    assert list(table["kind"]) == ["policy", "policy", "policy", "emergent"]
    assert table["measured"].str.len().gt(10).all()
    assert np.isfinite(table[["effect", "ci_low", "ci_high"]].to_numpy()).all()
    holds = dict(zip(table["fact"], table["holds"], strict=True))
    # mechanistic facts that must hold even on a tiny run
    assert holds["ipal"]
    assert table.set_index("fact").loc["charge", "effect"] < 0


def test_scheduled_umk_growth_applies_from_its_year_only():
    fixed = ["scenario.scale=50", "scenario.end_year=2030", "policy.umk_rule=fixed"]
    base = run(load_config("blitar", fixed))
    sched = run(load_config("blitar", fixed + ["schedule.2028-01.umk_growth_per_year=0.30"]))
    umk = lambda m: m.timeseries().groupby(m.timeseries()["date"].dt.year)["umk"].first()  # noqa: E731
    a, b = umk(base), umk(sched)
    assert a.loc[2026] == pytest.approx(2.6346) and b.loc[2027] == a.loc[2027]
    assert b.loc[2028] == pytest.approx(a.loc[2027] * 1.30)      # from 2028, not 2029
    assert b.loc[2029] == pytest.approx(a.loc[2027] * 1.30 ** 2)  # no retroactive jump


def test_dialogue_never_moves_a_lever_against_its_direction():
    cfg = load_config("dialogue", QUICK + ["policy.emission_charge=50000",
                                           "policy.inspection_rate=0.8",
                                           "policy.skills_training_seats_per_year=10000"])
    m = BlitarModel(cfg)
    forum.meet(m.regulator, m.cfg.forum, 6, complaints_per_1000=50.0, unemployment=0.2,
               loss_share=0.0)
    lev = m.regulator.levers
    assert lev.emission_charge == 50000 and lev.inspection_rate == 0.8
    assert lev.skills_training_seats_per_year == 10000
    forum.meet(m.regulator, m.cfg.forum, 12, complaints_per_1000=0.0, unemployment=0.0,
               loss_share=0.9)
    assert m.regulator.levers.emission_charge == 49000  # firms hurting: one step down


def test_umk_follows_the_national_formula_by_default():
    m = run(load_config("blitar", ["scenario.scale=50", "scenario.end_year=2029"]))
    umk = m.timeseries().groupby(m.timeseries()["date"].dt.year)["umk"].first()
    eco, alpha = m.cfg.economy, m.cfg.policy.umk_alpha
    rise = 1.0 + eco.inflation_per_year + alpha * eco.provincial_growth_per_year
    assert umk.loc[2025] == pytest.approx(2.48145) and umk.loc[2026] == pytest.approx(2.6346)
    assert umk.loc[2027] == pytest.approx(2.6346 * rise)
    assert umk.loc[2028] == pytest.approx(2.6346 * rise ** 2)


def test_every_fact_arm_is_a_valid_configuration():
    """A fact whose arm names a removed or misspelt parameter fails here, not after
    minutes of check-facts runs."""
    from simulation.results.fact_rules import FACTS

    for fact in FACTS:
        for arm, levers in fact.arms.items():
            overrides = [f"{k}={2030 if v is None else v}" for k, v in levers.items()
                         if not isinstance(v, dict | list)]
            try:
                load_config("blitar", overrides)
            except Exception as exc:  # noqa: BLE001 - report which fact and arm
                pytest.fail(f"fact {fact.name}, arm {arm}: {exc}")
