"""docs/ODD.md: complete ODD sections and a parameter table generated from the schema."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from simulation.config import Config, SectorConfig

ROOT = Path(__file__).resolve().parents[1]
ODD = ROOT / "docs" / "ODD.md"


def _generator():
    spec = importlib.util.spec_from_file_location("make_param_table",
                                                  ROOT / "docs" / "make_param_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_parameter_table_is_fresh():
    text = ODD.read_text()
    assert _generator().render(text) == text, (
        "docs/ODD.md parameter tables are stale: run .venv/bin/python docs/make_param_table.py")


def test_every_config_field_is_in_the_table():
    text = ODD.read_text()
    for section, info in Config.model_fields.items():
        if section == "schedule":
            assert "#### `schedule`" in text
            continue
        fields = SectorConfig.model_fields if section == "sectors" else \
            info.annotation.model_fields
        for name in fields:
            key = f"| `{name}` |" if section == "sectors" else f"| `{section}.{name}` |"
            assert key in text, f"{section}.{name} missing from the ODD parameter table"


def test_odd_has_all_protocol_sections():
    text = ODD.read_text()
    for heading in ("## 1. Purpose and patterns", "## 2. Entities, state variables and scales",
                    "## 3. Process overview and scheduling", "## 4. Design concepts",
                    "## 5. Initialisation", "## 6. Input data", "## 7. Submodels"):
        assert heading in text
    for concept in ("Basic principles", "Emergence", "Adaptation", "Objectives", "Learning",
                    "Prediction", "Sensing", "Interaction", "Stochasticity", "Collectives",
                    "Observation"):
        assert f"**{concept}.**" in text, concept


def test_citation_file_names_the_current_version():
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    cff = (ROOT / "CITATION.cff").read_text()
    assert "cff-version: 1.2.0" in cff and f'version: "{version}"' in cff
