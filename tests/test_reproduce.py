"""Reproducing published runs: exact re-runs, tolerance verdicts and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from simulation import paramsets
from simulation.cli import main
from simulation.model.indicators import COLUMNS
from simulation.results import publish as pub
from simulation.results import registry as reg
from simulation.results import reproduce as rp
from simulation.scenarios import load_config

TINY = ["scenario.scale=50", "scenario.end_year=2027", "policy.emission_charge=3000"]


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("published")
    pub.publish("tiny", "baseline", TINY, root=root)
    return root


@pytest.fixture
def entry(registry, tmp_path) -> Path:
    """A private copy of the tiny entry that a test may damage."""
    folder = tmp_path / "reg" / "tiny"
    shutil.copytree(registry / "tiny", folder)
    return folder


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_entry_files_and_reference(registry):
    folder = registry / "tiny"
    assert sorted(p.name for p in folder.iterdir()) == sorted([*reg.ENTRY_FILES, reg.REFERENCE])
    manifest = json.loads((folder / "manifest.json").read_text())
    for key in ("paramset_version", "model_version", "paramset_diff", "git", "versions",
                "platform", "timing", "digests", "config", "seed"):
        assert key in manifest
    assert manifest["paramset_version"] == paramsets.PARAMSET_VERSION
    assert manifest["paramset_diff"]["scenario.scale"] == 50
    ref = json.loads((folder / reg.REFERENCE).read_text())
    assert set(ref["files"]) == set(reg.ENTRY_FILES)
    assert "--set scenario.scale=50" in ref["command"]


def test_entries_hold_data_only_and_figures_draws_them(registry, tmp_path, capsys):
    assert not list((registry / "tiny").glob("*.py"))
    out = tmp_path / "figs"
    assert main(["figures", "tiny", "--registry", str(registry), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["maps.png", "summary.png"]
    assert all(p.stat().st_size > 10_000 for p in out.iterdir())
    # again into the same folder: replaced as a whole; a folder of the user's is not
    assert main(["figures", str(registry / "tiny"), "--out", str(out)]) == 0
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    capsys.readouterr()
    assert main(["figures", "tiny", "--registry", str(registry), "--out",
                 str(tmp_path / "mine")]) == 2
    assert "not ours" in capsys.readouterr().err
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep"


def test_other_model_version_prints_the_rebuild_commands(entry, capsys):
    manifest = json.loads((entry / "manifest.json").read_text())
    manifest["model_version"] = "0.0.1"
    manifest["git"] = {"commit": "0123456789abcdef0123456789abcdef01234567", "dirty": False}
    (entry / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    pub.seal(entry)
    assert main(["reproduce", str(entry)]) == 7
    captured = capsys.readouterr()
    assert "recorded with blitar-sim 0.0.1" in captured.err and "--rebuild" in captured.err
    commands = captured.out.splitlines()
    assert commands[0] == "TMP=$(mktemp -d)"
    assert any("worktree add --detach $TMP/src 0123456789abcdef0123456789abcdef01234567" in c
               for c in commands)
    assert any("install --quiet -r $TMP/src/requirements-lock.txt" in c for c in commands)
    assert any("install --quiet --no-deps -e $TMP/src" in c for c in commands)
    assert any(c.startswith("$TMP/venv/bin/blitar-sim reproduce ") and str(entry) in c
               for c in commands)
    # --rebuild with a commit this repository does not have: a clean error, nothing run
    assert main(["reproduce", str(entry), "--rebuild"]) == 2
    assert "not in the repository" in capsys.readouterr().err


def test_tiny_entry_reproduces_exactly(registry, capsys):
    assert main(["reproduce", "tiny", "--registry", str(registry)]) == rp.EXIT_EXACT
    assert "reproduced exactly" in capsys.readouterr().out


def test_run_folder_manifest_reproduces(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "--scale", "50", "--set", "scenario.end_year=2026", "--no-progress",
                 "--out", str(out)]) == 0
    assert main(["reproduce", str(out / "manifest.json")]) == rp.EXIT_EXACT
    assert "reproduced exactly" in capsys.readouterr().out


def test_publish_refuses_to_overwrite(registry):
    before = snapshot(registry)
    with pytest.raises(reg.ReproduceError, match="already exists"):
        pub.publish("tiny", "baseline", TINY, root=registry)
    assert snapshot(registry) == before


@pytest.mark.parametrize("name", ["monthly.csv", "summary.csv", "manifest.json", "maps.npz"])
def test_tampered_file_is_a_clear_error_and_nothing_changes(entry, capsys, name):
    path = entry / name
    data = path.read_bytes()
    path.write_bytes(data.replace(b"0.0", b"0.1", 1) if name != "maps.npz" else data[:-10])
    before = snapshot(entry.parent)
    assert main(["reproduce", "tiny", "--registry", str(entry.parent)]) == rp.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "tampered" in err and name in err
    assert snapshot(entry.parent) == before


def test_tampered_digest_in_reference_is_detected(entry, capsys):
    ref = json.loads((entry / reg.REFERENCE).read_text())
    ref["timeseries_digest"] = "0" * 64
    (entry / reg.REFERENCE).write_text(json.dumps(ref))
    assert main(["reproduce", str(entry)]) == rp.EXIT_BAD_INPUT
    assert "table digest differs" in capsys.readouterr().err


def _perturb(entry: Path, column: str, factor: float) -> None:
    lines = (entry / "monthly.csv").read_text().splitlines()
    header = lines[0].split(",")
    i = header.index(column)
    cells = lines[5].split(",")
    cells[i] = repr(float(cells[i]) * factor)
    lines[5] = ",".join(cells)
    (entry / "monthly.csv").write_text("\n".join(lines) + "\n")
    pub.seal(entry)  # a deliberate change: the reference is re-sealed


def test_difference_within_tolerance_exits_1(entry, capsys):
    _perturb(entry, "grdp", 1 + 1e-12)
    assert main(["reproduce", str(entry)]) == rp.EXIT_WITHIN_TOLERANCE
    out = capsys.readouterr().out
    assert f"NOT reproduced exactly: 1 of {len(COLUMNS)} indicators differ" in out
    assert "grdp" in out and "within tolerance (exit 1)" in out


def test_difference_beyond_tolerance_exits_3(entry, capsys):
    _perturb(entry, "mean_health", 1.01)
    assert main(["reproduce", str(entry)]) == rp.EXIT_DIFFERS
    out = capsys.readouterr().out
    assert "mean_health" in out and "NO" in out and "beyond tolerance (exit 3)" in out
    # a looser stated tolerance accepts it
    assert main(["reproduce", str(entry), "--rtol", "0.02"]) == rp.EXIT_WITHIN_TOLERANCE


def _manifest_only(entry: Path, tmp_path: Path, edit) -> Path:
    manifest = json.loads((entry / "manifest.json").read_text())
    edit(manifest)
    path = tmp_path / "loose" / "manifest.json"
    path.parent.mkdir()
    path.write_text(json.dumps(manifest))
    return path


def test_manifest_missing_fields_is_a_clear_error(entry, tmp_path, capsys):
    path = _manifest_only(entry, tmp_path, lambda m: (m.pop("paramset_version"),
                                                       m.pop("digests")))
    assert main(["reproduce", str(path)]) == rp.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "missing field(s) paramset_version, digests" in err


def test_unknown_paramset_version_is_a_clear_error(entry, tmp_path, capsys):
    path = _manifest_only(entry, tmp_path, lambda m: m.update(paramset_version="v99"))
    assert main(["reproduce", str(path)]) == rp.EXIT_BAD_INPUT
    assert "unknown parameter-set version 'v99'; this code knows v1" in capsys.readouterr().err


def test_manifest_config_edited_inconsistently_is_detected(entry, tmp_path, capsys):
    path = _manifest_only(entry, tmp_path,
                          lambda m: m["config"]["policy"].update(emission_charge=9999.0))
    assert main(["reproduce", str(path)]) == rp.EXIT_BAD_INPUT
    assert "inconsistent" in capsys.readouterr().err


def test_manifest_only_with_different_results_exits_3(entry, tmp_path, capsys):
    path = _manifest_only(entry, tmp_path,
                          lambda m: m["digests"].update(timeseries="0" * 64))
    assert main(["reproduce", str(path)]) == rp.EXIT_DIFFERS
    assert "no stored table" in capsys.readouterr().out


def test_unknown_entry_lists_entries(registry, capsys):
    assert main(["reproduce", "atlantis", "--registry", str(registry)]) == rp.EXIT_BAD_INPUT
    assert "entries in" in capsys.readouterr().err


def test_version_difference_warns(entry, capsys):
    manifest = json.loads((entry / "manifest.json").read_text())
    manifest["versions"]["numpy"] = "1.0.0"
    (entry / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    pub.seal(entry)
    assert main(["reproduce", str(entry)]) == rp.EXIT_EXACT
    assert "numpy 1.0.0 recorded" in capsys.readouterr().err


def test_rebuild_survives_a_key_added_later():
    cfg = load_config("baseline", TINY)
    fields = paramsets.manifest_fields(cfg)
    recorded = cfg.model_dump(mode="json")
    del recorded["health"]["relocation_candidates"]  # as if the key did not exist then
    rebuilt, how = paramsets.rebuild_config(recorded, paramsets.PARAMSET_VERSION,
                                            fields["paramset_diff"])
    assert rebuilt == cfg
    assert "schema changed" in how and "health.relocation_candidates" in how


def test_config_diff_round_trip():
    cfg = load_config("green_package", ["policy.dialogue=on"])
    base = paramsets.load_paramset(paramsets.PARAMSET_VERSION)["config"]
    diff = paramsets.config_diff(base, cfg.model_dump(mode="json"))
    assert diff["policy.dialogue"] == "on" and "schedule" in diff
    assert paramsets.apply_diff(base, diff) == cfg.model_dump(mode="json")
