"""Re-run a published entry or a recorded run and say whether it reproduces.

:func:`reproduce` rebuilds the config from the manifest (see
:func:`simulation.paramsets.rebuild_config`), re-runs it and compares digests: equal ->
"reproduced exactly" (exit 0); otherwise a table of the indicators that differ, with the
largest absolute and relative differences and whether they are within the tolerance
``|new - ref| <= atol + rtol * |ref|`` (exit 1 if all are, 3 if not). Bad input (unknown
entry, malformed or tampered files, unknown parameter-set version) is a
:class:`~simulation.results.registry.ReproduceError` (exit 2). A run recorded with another
model version is :class:`~simulation.results.errors.OtherModelVersion` (exit 7), carrying
the commands that rebuild that version (:mod:`.rebuild`). Reproducing writes nothing.

The registry lives in :mod:`.registry`, the comparison in :mod:`.compare`, publishing in
:mod:`.publish`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from simulation import paramsets
from simulation.results import provenance, rebuild
from simulation.results.compare import (
    ColumnDiff,
    compare_maps,
    compare_tables,
    format_diffs,
    version_warnings,
)
from simulation.results.ensemble_reference import EnsembleReference
from simulation.results.errors import OtherModelVersion
from simulation.results.registry import (
    ReproduceError,
    list_entries,
    load_reference,
    normalise,
    resolve_target,
)

EXIT_EXACT, EXIT_WITHIN_TOLERANCE, EXIT_BAD_INPUT, EXIT_DIFFERS = 0, 1, 2, 3
DEFAULT_RTOL = 1e-9   # "numerically identical": last-digit differences only
DEFAULT_ATOL = 1e-12

__all__ = ["DEFAULT_ATOL", "DEFAULT_RTOL", "Outcome", "ReproduceError", "list_entries",
           "reproduce"]


@dataclass
class Outcome:
    status: int
    lines: list[str]
    warnings: list[str] = field(default_factory=list)
    diffs: list[ColumnDiff] = field(default_factory=list)


def reproduce(target: str | Path, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL,
              root: Path | None = None, any_version: bool = False,
              members: list[int] | None = None, workers: int = 1,
              scheduler: str | None = None) -> Outcome:
    """Re-run a published entry or a recorded run and compare (writes nothing).
    ``any_version`` re-runs even if the recorded model version is not the installed one.
    An ensemble re-runs every member (or only the member indices ``members``) on
    ``workers`` local processes or the Dask ``scheduler``, and checks each exactly."""
    from simulation.results.runner import simulate  # heavy imports only when running

    ref = load_reference(resolve_target(target, root))
    m = ref.manifest
    installed = paramsets.model_version()
    if m["model_version"] != installed and not any_version:
        plan = rebuild.plan(ref.manifest_path, m, rtol, atol)
        raise OtherModelVersion(
            f"{ref.manifest_path}: recorded with blitar-sim {m['model_version']}, installed "
            f"{installed}; rerun with --rebuild to rebuild that version from commit "
            f"{str(plan.commit)[:12]} in a temporary environment, or run the commands below",
            plan.commands(), plan)
    cfg, how = paramsets.rebuild_config(m["config"], m["paramset_version"], m["paramset_diff"])
    if (cfg.scenario.seed, cfg.scenario.scale) != (m["seed"], m["scale"]):
        raise ReproduceError(f"{ref.manifest_path}: seed/scale fields ({m['seed']}, "
                             f"{m['scale']}) disagree with its config; manifest edited?")
    warnings = _environment_warnings(m)
    git = m.get("git", {})
    what = (f"{len(ref.seeds)} seeds from root seed {m['seed']}" if isinstance(
        ref, EnsembleReference) else f"seed {m['seed']}")
    lines = [f"{ref.kind} {ref.manifest_path.parent.name}: scenario {m['scenario']!r}, "
             f"{what}, scale {m['scale']}, {cfg.n_steps} months, parameter set "
             f"{m['paramset_version']} (config: {how}); recorded with blitar-sim "
             f"{m['model_version']} at commit {str(git.get('commit'))[:12]}"
             f"{' (dirty tree)' if git.get('dirty') else ''}"]
    if isinstance(ref, EnsembleReference):
        status = reproduce_ensemble(ref, cfg, lines, rtol, atol, members, workers, scheduler)
        return Outcome(status, lines, warnings)
    if members is not None:
        raise ReproduceError(f"{ref.manifest_path}: one run, not an ensemble; --members "
                             "applies to ensembles")
    t0 = time.perf_counter()
    result = simulate(cfg)
    lines.append(f"re-ran in {time.perf_counter() - t0:.1f} s")
    new_ts = normalise(result.timeseries)
    new_digest = provenance.table_digest(new_ts)
    new_maps_digest = provenance.array_digest(result.maps)
    if ref.timeseries_digest is None:  # manifest only: its raw digest is all we have
        ts_same = provenance.table_digest(result.timeseries) == m["digests"]["timeseries"]
    else:
        ts_same = new_digest == ref.timeseries_digest
    maps_same = new_maps_digest == m["digests"].get("maps")
    if ts_same and maps_same:
        lines.append(f"reproduced exactly (timeseries digest {new_digest[:16]}..., maps "
                     f"digest {new_maps_digest[:16]}...)")
        return Outcome(EXIT_EXACT, lines, warnings)
    tol = f"|new - ref| <= {atol:g} + {rtol:g} x |ref|"
    if ref.table is None:
        lines.append("NOT reproduced: digests differ and no stored table sits next to this "
                     "manifest to say by how much")
        return Outcome(EXIT_DIFFERS, lines, warnings)
    if list(ref.table.columns) != list(new_ts.columns) or len(ref.table) != len(new_ts):
        lines.append(f"NOT reproduced: the tables differ in shape (stored {ref.table.shape}, "
                     f"re-run {new_ts.shape}) or columns")
        return Outcome(EXIT_DIFFERS, lines, warnings)
    diffs = compare_tables(ref.table, new_ts, rtol, atol)
    if ref.maps is not None and not maps_same:
        if set(ref.maps) != set(result.maps) or any(
                ref.maps[k].shape != result.maps[k].shape for k in ref.maps):
            lines.append("NOT reproduced: the stored maps differ in names or shapes")
            return Outcome(EXIT_DIFFERS, lines, warnings)
        diffs += compare_maps(ref.maps, result.maps, rtol, atol)
    elif not maps_same:
        lines.append("maps digest differs (maps not stored here; cannot say by how much)")
    n_cols = len(ref.table.columns) - 1
    lines.append(f"NOT reproduced exactly: {sum(not d.name.startswith('map ') for d in diffs)}"
                 f" of {n_cols} indicators differ; tolerance: {tol}")
    lines.append(format_diffs(diffs))
    within = all(d.within for d in diffs)
    status = EXIT_WITHIN_TOLERANCE if within else EXIT_DIFFERS
    lines.append("result: all differences within tolerance (exit 1)" if within
                 else "result: differs beyond tolerance (exit 3)")
    return Outcome(status, lines, warnings, diffs)


def _environment_warnings(m: dict) -> list[str]:
    warnings = [f"package versions differ from the recorded run: {w}"
                for w in version_warnings(m["versions"])]
    rec_platform = m.get("platform", {})
    now_platform = provenance.platform_info()
    if any(rec_platform.get(k) != v for k, v in now_platform.items()):
        warnings.append(f"platform differs: recorded {rec_platform.get('system')}/"
                        f"{rec_platform.get('machine')}, now {now_platform['system']}/"
                        f"{now_platform['machine']}")
    return warnings


def reproduce_ensemble(ref: EnsembleReference, cfg, lines: list[str], rtol: float,
                       atol: float, members: list[int] | None, workers: int,
                       scheduler: str | None) -> int:
    """Re-run the members (all, or the indices ``members``) of a stored ensemble and
    compare each with its recorded digests (monthly table, per-kelurahan table, maps);
    a member that differs is compared with its stored table. With every member re-run,
    the stored summaries are recomputed from the re-run members and compared too.
    Appends to ``lines``; returns the exit status."""
    from simulation.results.ensemble import member_seeds, run_ensembles
    from simulation.results.ensemble_runner import member_digests

    recorded = ref.manifest["members"]
    n = len(recorded)
    if member_seeds(cfg.scenario.seed, n) != ref.seeds:
        raise ReproduceError(f"{ref.manifest_path}: its seeds do not follow the seed rule "
                             f"from root seed {cfg.scenario.seed}; manifest edited?")
    if members is not None and not all(0 <= i < n for i in members):
        raise ReproduceError(f"--members {','.join(map(str, members))}: this ensemble has "
                             f"members 0-{n - 1}")
    t0 = time.perf_counter()
    run = run_ensembles([cfg], n, members=members, workers=workers, scheduler=scheduler,
                        label="reproduce")
    ens = run.arms[0]
    lines.append(f"re-ran {len(ens.indices)} of {n} members in {time.perf_counter() - t0:.1f} "
                 f"s ({run.executor['kind']}, {run.executor['workers']} worker(s))")
    status = EXIT_EXACT
    tol = f"|new - ref| <= {atol:g} + {rtol:g} x |ref|"
    for i, member, new in zip(ens.indices, ens.members, member_digests(ens), strict=True):
        old = recorded[i]
        same = [k for k in ("timeseries", "kelurahan", "maps") if new[k] == old[k]]
        if len(same) == 3:
            lines.append(f"member {i} (seed {old['seed']}): reproduced exactly")
            continue
        diffs = compare_tables(ref.members[i], normalise(member.timeseries), rtol, atol)
        differ = [k for k in ("timeseries", "kelurahan", "maps") if k not in same]
        within = all(d.within for d in diffs) and differ == ["timeseries"]
        lines.append(f"member {i} (seed {old['seed']}): NOT reproduced exactly "
                     f"({', '.join(differ)} digest(s) differ); tolerance: {tol}")
        if diffs:
            lines.append(format_diffs(diffs))
        status = max(status, EXIT_WITHIN_TOLERANCE if within else EXIT_DIFFERS)
    if status == EXIT_EXACT and len(ens.indices) == n and ref.kind == "published ensemble":
        status = _check_summaries(ref, ens, lines)
    elif status == EXIT_EXACT and len(ens.indices) < n:
        lines.append(f"the other {n - len(ens.indices)} members were not re-run (--members); "
                     "their stored tables match their recorded digests")
    lines.append({EXIT_EXACT: "result: reproduced exactly (exit 0)",
                  EXIT_WITHIN_TOLERANCE: "result: all differences within tolerance (exit 1)",
                  EXIT_DIFFERS: "result: differs beyond tolerance (exit 3)"}[status])
    return status


def _check_summaries(ref: EnsembleReference, ens, lines: list[str]) -> int:
    """Recompute a published ensemble's outcomes.csv and kelurahan_summary.csv from the
    re-run members and compare with the stored files (byte for byte)."""
    from simulation.results import ensemble_reference as er

    stacked = er.normalise_stacked(ens.timeseries())
    recomputed = {"outcomes.csv": er.outcomes_csv(stacked),
                  "kelurahan_summary.csv": er.kelurahan_csv(ens.kelurahan())}
    bad = [name for name, text in recomputed.items()
           if (ref.folder / name).read_bytes().replace(b"\r\n", b"\n").decode() != text]
    if bad:
        lines.append(f"NOT reproduced: {', '.join(bad)} differ from the summaries of the "
                     "re-run members")
        return EXIT_DIFFERS
    lines.append("outcomes.csv and kelurahan_summary.csv recomputed from the re-run members: "
                 "identical")
    return EXIT_EXACT
