"""Golden tests: the published runs in results/published/ must reproduce exactly.

A change that moves results fails here. If it is intended: re-publish the entries
(``blitar-sim reproduce --publish NAME --scenario NAME --seeds 10 --force``, full scale),
add a CHANGELOG line, and, if defaults changed, a new parameter-set version.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from simulation import paramsets
from simulation.results import reproduce as rp
from simulation.results.ensemble_reference import ENSEMBLE_FILES
from simulation.results.registry import ENTRY_FILES, REFERENCE

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "results" / "published"


def test_registry_has_the_published_entries():
    assert {"baseline", "green_package", "big_plant"} <= set(rp.list_entries(REGISTRY))


def _is_ensemble(entry: str) -> bool:
    return json.loads((REGISTRY / entry / REFERENCE).read_text()).get("kind") == "ensemble"


def test_entries_hold_data_only():
    """No code in entries: `blitar-sim figures ENTRY` draws them (issue 12)."""
    for entry in rp.list_entries(REGISTRY):
        names = {p.name for p in (REGISTRY / entry).iterdir() if p.name != "figures"}
        files = ENSEMBLE_FILES if _is_ensemble(entry) else ENTRY_FILES
        assert names == {*files, REFERENCE}, entry


def test_registry_is_small():
    # three 10-seed, 20-year ensembles (every member's monthly table, for exact
    # reproduction) are ~1.1 MB each
    size = sum(p.stat().st_size for p in REGISTRY.rglob("*") if p.is_file()
               and "figures" not in p.parts)
    assert size < 5_000_000, f"results/published is {size / 1e6:.1f} MB"


@pytest.mark.parametrize("entry", ["baseline", "green_package", "big_plant"])
def test_published_entry_reproduces_exactly(entry):
    """The stored tables are checked in full; of an ensemble, the test suite re-runs the
    first member (``blitar-sim reproduce ENTRY`` re-runs them all)."""
    members = [0] if _is_ensemble(entry) else None
    outcome = rp.reproduce(entry, root=REGISTRY, members=members)
    assert outcome.status == rp.EXIT_EXACT, "\n".join(outcome.lines)


def test_current_defaults_equal_the_current_parameter_set():
    """Changing a default or calibration value needs a new parameter-set version."""
    stored = paramsets.load_paramset(paramsets.PARAMSET_VERSION)["config"]
    current = paramsets.current_defaults()
    changed = sorted(k for k in paramsets.flatten(stored).keys() | paramsets.flatten(
        current).keys() if paramsets.flatten(stored).get(k) != paramsets.flatten(
            current).get(k))
    assert not changed, (
        f"defaults differ from parameter set {paramsets.PARAMSET_VERSION} at {changed}: "
        f"write a new one (python -m simulation.paramsets --write vN), set PARAMSET_VERSION, "
        f"add a CHANGELOG line")


def test_every_parameter_set_is_in_the_changelog_and_loads():
    text = (ROOT / "CHANGELOG.md").read_text()
    versions = paramsets.known_versions()
    assert paramsets.PARAMSET_VERSION == versions[-1]
    for version in versions:
        assert re.search(rf"parameter set `?{version}`?", text), f"{version} not in CHANGELOG"
        paramsets.load_paramset(version)
