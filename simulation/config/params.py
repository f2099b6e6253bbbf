"""Helpers to declare a model parameter with its unit, range and source in one line.

Every default in the configuration states its unit and where it comes from (a source
in ../shared/design/blitar_facts.md, "inferred" with the arithmetic, or "illustrative"
with the reason). `param` stores these in the pydantic field so that error messages,
documentation tables and the browser view can all read them from one place.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field


def param(
    default: Any,
    *,
    unit: str,
    source: str,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
    agency: str | None = None,
    ui_step: float | None = None,
    ui_max: float | None = None,
    kind: str | None = None,
) -> Any:
    """A pydantic Field carrying unit, source and (for levers) the owning agency.

    `source` must either cite a figure ("BPS ...", "Sakernas ...") or begin with
    "illustrative:" / "inferred:" followed by the reason. Levers (fields with an
    ``agency``) may carry UI hints: ``ui_step`` (slider step), ``ui_max`` (slider end when
    narrower than the allowed range) and ``kind="year"`` (a calendar year, 0 = never).
    All of it is read through :mod:`simulation.config.levers`.
    """
    extra: dict[str, Any] = {"unit": unit, "source": source}
    for key, value in (("agency", agency), ("ui_step", ui_step), ("ui_max", ui_max),
                       ("kind", kind)):
        if value is not None:
            extra[key] = value
    return Field(default, ge=ge, le=le, gt=gt, lt=lt, json_schema_extra=extra)
