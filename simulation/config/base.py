"""The base of every config section, and the marker for illustrative values."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

ILL = "illustrative: "

SECTOR_NAMES = (
    "food_beverage",
    "tofu_tempe",
    "tobacco",
    "wood_furniture",
    "textile_batik",
    "other_manufacturing",
    "services",
)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
