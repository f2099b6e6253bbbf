"""Configuration: every default documented, bad input rejected with a clear message."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from simulation.config import Config
from simulation.scenarios import ConfigError, available_scenarios, load_config, parse_override


def _fields(model: type[BaseModel], prefix: str = ""):
    for name, info in model.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from _fields(ann, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", info


def test_every_parameter_states_unit_and_source():
    missing = [key for key, info in _fields(Config)
               if not isinstance(info.json_schema_extra, dict)
               or not info.json_schema_extra.get("unit")
               or not info.json_schema_extra.get("source")]
    assert missing == []


def test_illustrative_sources_give_a_reason():
    for key, info in _fields(Config):
        source = info.json_schema_extra["source"]
        if source.startswith("illustrative"):
            assert len(source.split(":", 1)[1].strip()) > 5, key


def test_default_scenario_loads_with_240_months():
    cfg = load_config("blitar")
    assert cfg.n_steps == 240
    assert cfg.scenario.start_year == 2025 and cfg.scenario.end_year == 2045
    assert "blitar" in available_scenarios()


@pytest.mark.parametrize(("override", "expected"), [
    ("policy.emission_charge=-5", ["policy.emission_charge", ">= 0.0", "Rp per kg"]),
    ("policy.green_subsidy_share=1.5", ["policy.green_subsidy_share", "<= 0.9"]),
    ("policy.emision_charge=5", ["policy.emision_charge", "unknown key",
                                 "did you mean 'emission_charge'"]),
    ("polcy.emission_charge=5", ["polcy", "unknown key", "did you mean 'policy'"]),
    ("policy.dialogue=maybe", ["policy.dialogue", "'off' or 'on'"]),
    ("scenario.scale=abc", ["scenario.scale", "integer", "allowed range >= 1 and <= 100"]),
    ("scenario.scale=0", ["scenario.scale", ">= 1"]),
    ("sectors.tofu_tempe.productvity=3", ["sectors.tofu_tempe.productvity", "unknown key"]),
    ("policy.ipal_pakunden_year=2050", ["ipal_pakunden_year", "[2025, 2044]"]),
    ("scenario.big_plant_year=2010", ["big_plant_year", "within the horizon"]),
    ("scenario.end_year=2020", ["end_year", "must be after"]),
    ("sectors.services.employment_share=0.5", ["employment_share must sum to 1"]),
])
def test_bad_values_name_key_and_allowed_range(override, expected):
    with pytest.raises(ConfigError) as err:
        load_config("blitar", [override])
    for text in expected:
        assert text in str(err.value), (text, str(err.value))


def test_override_parsing_reads_toml_values():
    assert parse_override("policy.emission_charge=5000") == (["policy", "emission_charge"], 5000)
    assert parse_override("policy.research_partnership=true")[1] is True
    assert parse_override("policy.dialogue=on")[1] == "on"
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_override("policy.emission_charge")


def test_overrides_and_keyword_values_apply():
    cfg = load_config("blitar", ["policy.emission_charge=2500", "policy.dialogue=on"],
                      **{"scenario.seed": 7})
    assert cfg.policy.emission_charge == 2500.0
    assert cfg.policy.dialogue == "on"
    assert cfg.scenario.seed == 7


def test_unknown_scenario_lists_available():
    with pytest.raises(ConfigError, match="unknown scenario 'nope'; available: .*blitar"):
        load_config("nope")


def test_scenario_file_with_typo_and_inheritance(tmp_path):
    good = tmp_path / "charge.toml"
    good.write_text('[scenario]\nbase = "blitar"\nname = "charge"\n'
                    '[policy]\nemission_charge = 3000\n')
    cfg = load_config(good)
    assert cfg.policy.emission_charge == 3000
    assert cfg.sectors.tofu_tempe.initial_firms == 120  # inherited from blitar
    bad = tmp_path / "typo.toml"
    bad.write_text('[scenario]\nbase = "blitar"\n[policy]\nemmission_charge = 3000\n')
    with pytest.raises(ConfigError, match=r"(?s)typo.toml.*policy.emmission_charge: unknown key"):
        load_config(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("[policy\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(broken)


def test_config_is_frozen():
    cfg = load_config("blitar")
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError
        cfg.policy.emission_charge = 5.0  # type: ignore[misc]
