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
) -> Any:
    """A pydantic Field carrying unit, source and (for levers) the owning agency.

    `source` must either cite a figure ("BPS ...", "Sakernas ...") or begin with
    "illustrative:" / "inferred:" followed by the reason.
    """
    extra: dict[str, Any] = {"unit": unit, "source": source}
    if agency is not None:
        extra["agency"] = agency
    return Field(default, ge=ge, le=le, gt=gt, lt=lt, json_schema_extra=extra)
