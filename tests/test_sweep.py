"""Sweeps: a small study end to end, executor-independent results, failure isolation,
kill-and-resume, and clear errors for malformed study files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from simulation.cli import main
from simulation.sweep import load_study, run_sweep
from simulation.sweep.analysis import load_results
from simulation.sweep.design import replicate_seeds
from simulation.sweep.executors import LocalExecutor
from simulation.sweep.worker import execute_task

ROOT = Path(__file__).resolve().parents[1]

TINY = """
[study]
design = "full_factorial"
replications = 2
seed = 11
scale = 50
end_year = {end_year}

[levers]
"policy.emission_charge" = [0, 20000]
"policy.green_subsidy_share" = [0.0, 0.6]
"policy.dialogue" = "on"

[outputs]
maps = true
"""


def write_study(folder: Path, name: str = "tiny", text: str | None = None,
                end_year: int = 2026) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text if text is not None else TINY.format(end_year=end_year))
    return path


def dataset(folder: Path, name: str) -> pd.DataFrame:
    """A dataset of the study's current design, with design points and lever values."""
    res = load_results(folder)
    return res.summary if name == "summary" else res.timeseries()


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for sub in ("timeseries", "summary", "maps") for p in (folder / sub).rglob("*.*")}


def assert_same_results(a: Path, b: Path) -> None:
    for name in ("timeseries", "summary"):
        pd.testing.assert_frame_equal(dataset(a, name), dataset(b, name), check_exact=True)
    assert file_bytes(a) == file_bytes(b)


def fail_on_point_1(task):
    """A run function whose run for design point 1, replicate 0 raises."""
    if task.point == 1 and task.replicate == 0:
        raise RuntimeError("boom: injected failure")
    return execute_task(task)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """An uninterrupted in-process sweep of the tiny study: the reference."""
    tmp = tmp_path_factory.mktemp("clean")
    study = load_study(write_study(tmp))
    summary = run_sweep(study, tmp / "out", workers=1)
    assert summary.succeeded == 8 and summary.failed == 0
    return tmp / "out"


def test_small_sweep_end_to_end_and_resume(tmp_path, capsys):
    path = write_study(tmp_path)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    text = capsys.readouterr().out
    assert "8 runs: 0 already complete, 8 run now (8 ok, 0 failed)" in text
    index = [json.loads(x) for x in (out / "index.jsonl").read_text().splitlines()]
    assert len(index) == 8 and len({r["run_id"] for r in index}) == 8
    ts, summ = dataset(out, "timeseries"), dataset(out, "summary")
    assert len(ts) == 8 * 12 and len(summ) == 8
    assert {"policy.emission_charge", "policy.green_subsidy_share", "grdp"} <= set(summ.columns)
    # common random numbers: the same two seeds at every design point
    assert summ.groupby("point")["seed"].apply(tuple).nunique() == 1
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["study_text"] == path.read_text()
    assert manifest["replicate_seeds"] == replicate_seeds(11, 2)
    assert manifest["base_config"]["policy"]["dialogue"] == "on"
    assert {"commit", "dirty"} <= set(manifest["git"]) and "numba" in manifest["versions"]
    assert len(manifest["runs"]) == 8
    assert len(list((out / "maps").rglob("*.npz"))) == 8
    # rerun: nothing to do
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    assert "8 already complete, 0 run now" in capsys.readouterr().out
    assert len((out / "index.jsonl").read_text().splitlines()) == 8
    # analysis
    assert main(["analyse", str(out)]) == 0
    files = {p.name for p in (out / "analysis").iterdir()}
    assert {"points.csv", "response.csv", "tradeoff.csv", "response_curves.png",
            "tradeoff.png", "trajectories.png"} <= files
    trade = pd.read_csv(out / "analysis" / "tradeoff.csv")
    assert trade["pareto"].any() and len(trade) == 4


def test_identical_results_1_vs_2_workers_and_dask(tmp_path, clean):
    from distributed import Client, LocalCluster

    study = load_study(write_study(tmp_path))
    pool = LocalExecutor(2)
    try:
        run_sweep(study, tmp_path / "pool", executor=pool)
    finally:
        pool.close()
    assert_same_results(clean, tmp_path / "pool")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        assert client.scheduler.address.startswith("tcp://127.0.0.1:")
        summary = run_sweep(study, tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert summary.succeeded == 8
    assert_same_results(clean, tmp_path / "dask")


def test_a_failing_run_does_not_stop_the_others(tmp_path, clean):
    study = load_study(write_study(tmp_path))
    out = tmp_path / "out"
    pool = LocalExecutor(2)
    try:
        summary = run_sweep(study, out, executor=pool, run_fn=fail_on_point_1)
    finally:
        pool.close()
    assert (summary.succeeded, summary.failed) == (7, 1)
    assert "1 run(s) FAILED" in summary.text()
    (record,) = [json.loads(p.read_text()) for p in (out / "failures").glob("*.json")]
    assert "boom: injected failure" in record["traceback"] and record["point"] == 1
    assert record["params"]["policy.green_subsidy_share"] == 0.6
    # --no-retry-failed leaves it failed; a normal rerun retries it and completes the study
    again = run_sweep(study, out, retry_failed=False)
    assert (again.ran, again.failed) == (0, 1)
    final = run_sweep(study, out)
    assert (final.ran, final.succeeded, final.failed) == (1, 1, 0)
    assert not list((out / "failures").glob("*.json"))
    assert_same_results(clean, out)


def test_exit_status_1_when_runs_fail(tmp_path, capsys, monkeypatch):
    import simulation.sweep.sweeper as sweeper

    monkeypatch.setattr(sweeper, "execute_task", fail_on_point_1)
    path = write_study(tmp_path)
    assert main(["sweep", str(path), "--out", str(tmp_path / "o"), "--workers", "1",
                 "--no-progress"]) == 1
    assert "1 run(s) FAILED" in capsys.readouterr().out


def test_killed_sweep_resumes_exactly(tmp_path, clean):
    path = write_study(tmp_path)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "simulation.cli", "sweep", str(path), "--out", str(out),
           "--workers", "2", "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    index = out / "index.jsonl"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if index.is_file() and len(index.read_bytes().splitlines()) >= 2:
                break
            time.sleep(0.005)
        os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its worker processes
    finally:
        proc.wait(timeout=30)
    done_before = len(index.read_bytes().splitlines())
    assert 2 <= done_before < 8, "the sweep was not killed mid-way"
    summary = run_sweep(load_study(path), out, workers=1)
    assert summary.already_done == done_before and summary.ran == 8 - done_before
    ids = [json.loads(x)["run_id"] for x in index.read_text().splitlines()]
    assert len(ids) == len(set(ids)) == 8
    assert not list(out.rglob(".*.tmp"))
    assert_same_results(clean, out)


def test_torn_index_line_and_temp_files_are_repaired(tmp_path, clean):
    path = write_study(tmp_path)
    out = tmp_path / "out"
    run_sweep(load_study(path), out)
    lines = (out / "index.jsonl").read_bytes().splitlines(keepends=True)
    # simulate a kill while appending the 8th line and while writing a part file
    (out / "index.jsonl").write_bytes(b"".join(lines[:7]) + lines[7][:20])
    (out / "summary" / ".x.parquet.abc.tmp").write_bytes(b"half")
    summary = run_sweep(load_study(path), out)
    assert (summary.already_done, summary.ran) == (7, 1)
    assert len((out / "index.jsonl").read_text().splitlines()) == 8
    assert not list(out.rglob(".*.tmp"))
    assert_same_results(clean, out)


SAMPLED = """
[study]
design = "{design}"
samples = {samples}
seed = 3
scale = 50
end_year = 2026

[levers]
"green_tech.adoption_base_rate" = {{ low = 0.01, high = 0.04 }}
"labour.separation_rate" = {{ low = 0.006, high = 0.024 }}
"policy.workshop_slots_per_year" = {{ low = 10, high = 500 }}

[outputs]
timeseries = false

[analysis]
outcomes = ["grdp", "green_share"]
"""


@pytest.mark.parametrize(("design", "samples", "runs"), [("sobol", 4, 20), ("morris", 2, 8)])
def test_sensitivity_designs_and_indices(tmp_path, design, samples, runs):
    from simulation.sweep.analysis import analyse

    study = load_study(write_study(tmp_path, text=SAMPLED.format(design=design,
                                                                 samples=samples)))
    assert len(study.tasks) == runs
    # an integer lever is rounded; the raw sample is kept for the indices
    assert all(isinstance(p["policy.workshop_slots_per_year"], int) for p in study.points)
    summary = run_sweep(study, tmp_path / "out")
    assert summary.succeeded == runs
    files = {p.name for p in analyse(tmp_path / "out")}
    assert {f"{design}_indices.csv", f"{design}_indices.png", "response_scatter.png"} <= files
    table = pd.read_csv(tmp_path / "out" / "analysis" / f"{design}_indices.csv")
    assert len(table) == 2 * 3
    assert ("ST_conf" if design == "sobol" else "mu_star_conf") in table.columns


def test_seeds_are_common_and_stable():
    assert replicate_seeds(5, 3) == replicate_seeds(5, 5)[:3]
    assert len(set(replicate_seeds(5, 100))) == 100
    assert all(0 <= s < 2**63 for s in replicate_seeds(5, 10))


@pytest.mark.parametrize(("edit", "message"), [
    (('"policy.emission_charge"', '"policy.emision_charge"'),
     "levers.policy.emision_charge"),
    (("[0, 20000]", "[]"), "levers.policy.emission_charge: empty axis"),
    (('"full_factorial"', '"factorial"'), "unknown design 'factorial'"),
    (("[0, 20000]", "[0, -5]"), "allowed: [0, 200000]"),
    (("[0, 20000]", "{ low = 10, high = 1 }"), "levers.policy.emission_charge"),
    (("replications = 2", "replications = 0"), "study.replications"),
    (("seed = 11", "seed = 11\nrepetitions = 3"), "study.repetitions"),
    (('"policy.dialogue" = "on"', '"scenario.seed" = 4'), "replicate seeds come from"),
])
def test_malformed_study_is_a_clear_error(tmp_path, capsys, edit, message):
    text = TINY.format(end_year=2026).replace(*edit)
    path = write_study(tmp_path, text=text)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert not out.exists()


def test_bad_range_and_sampled_design_errors(tmp_path, capsys):
    text = SAMPLED.format(design="sobol", samples=4).replace("low = 0.01, high = 0.04",
                                                              "low = 0.04, high = 0.01")
    assert main(["sweep", str(write_study(tmp_path, text=text)), "--no-progress"]) == 2
    assert "bad range: low (0.04) must be below high (0.01)" in capsys.readouterr().err
    text = SAMPLED.format(design="sobol", samples=6)
    assert main(["sweep", str(write_study(tmp_path, text=text)), "--no-progress"]) == 2
    assert "power of 2" in capsys.readouterr().err


def test_study_overrides_and_shipped_studies_are_valid():
    study = load_study("policy_mix", ["study.replications=2", "study.scale=50",
                                      "levers.policy.emission_charge=[0, 1]"])
    assert len(study.tasks) == 2 * 3 * 3 * 2
    assert study.base_config.scenario.scale == 50
    for name in ("policy_mix", "training", "zoning", "ipal", "big_plant", "sensitivity",
                 "sensitivity_morris"):
        assert load_study(name).tasks


# --- regression tests of the sweep review --------------------------------------------------

def fake_run(task):
    """A fast stand-in for the model: 12 months in which every indicator is 1 + the
    replicate, except grdp, which is the run's own emission charge (0 if not set) and
    green_share, its zoning buffer: so a result shows which parameters produced it."""
    from simulation.model.indicators import COLUMNS
    from simulation.sweep.outcomes import summarise
    from simulation.sweep.worker import RunOutcome

    params = task.params()
    ts = pd.DataFrame({name: [1.0 + task.replicate] * 12 for name in COLUMNS})
    ts["step"] = range(12)
    ts.insert(0, "date", pd.date_range("2025-01-01", periods=12, freq="MS"))
    ts["grdp"] = float(params.get("policy.emission_charge", 0))
    ts["green_share"] = float(params.get("policy.zoning_buffer_cells", 0))
    return RunOutcome(task, True, ts, summarise(ts), seconds=0.0)


AXIS = """
[study]
base = "{base}"
design = "full_factorial"
replications = 2
seed = 5
scale = 50
end_year = 2026

[levers]
"policy.emission_charge" = {axis}
"""


def test_editing_the_design_keeps_runs_at_their_points(tmp_path):
    from simulation.sweep.analysis import point_table

    path = write_study(tmp_path, text=AXIS.format(base="blitar", axis="[5000, 10000]"))
    out = tmp_path / "out"
    assert run_sweep(load_study(path), out, run_fn=fake_run).succeeded == 4
    path.write_text(AXIS.format(base="blitar", axis="[0, 5000, 10000]"))  # 5000 moves to P1
    summary = run_sweep(load_study(path), out, run_fn=fake_run)
    assert (summary.already_done, summary.ran) == (4, 2)
    res = load_results(out)
    # fake_run's grdp is the emission charge it actually ran with
    assert (res.summary["grdp"] == res.summary["policy.emission_charge"]).all()
    points = point_table(res)
    assert list(points["policy.emission_charge"]) == [0, 5000, 10000]
    assert list(points["grdp_mean"]) == [0, 5000, 10000]
    assert list(points["runs"]) == [2, 2, 2] and (points["grdp_sd"] == 0).all()
    ts = res.timeseries(["grdp"])
    labels = {p: v["policy.emission_charge"] for p, v in enumerate(res.manifest["design"]
                                                                  ["points"])}
    assert (ts["grdp"] == ts["point"].map(labels)).all() and len(ts) == 6 * 12
    # files are keyed by run id only
    assert sorted(p.name for p in out.glob("summary/*")) == sorted(
        f"{r['run_id']}.parquet" for r in res.manifest["runs"])
    # drop a value: its runs stay on disk but leave the analysis
    path.write_text(AXIS.format(base="blitar", axis="[10000]"))
    assert run_sweep(load_study(path), out, run_fn=fake_run).ran == 0
    res = load_results(out)
    assert list(res.summary["policy.emission_charge"]) == [10000, 10000]
    assert list(res.summary["point"]) == [0, 0]
    assert len(list(out.glob("summary/*.parquet"))) == 6


def test_run_id_follows_the_resolved_config(tmp_path, monkeypatch):
    from simulation import paramsets

    base = tmp_path / "base.toml"
    base.write_text('[scenario]\nbase = "blitar"\n\n[policy]\nworkshop_slots_per_year = 100\n')
    path = write_study(tmp_path, text=AXIS.format(base="base.toml", axis="[0, 5000]"))
    out = tmp_path / "out"
    first = load_study(path)
    assert run_sweep(first, out, run_fn=fake_run).ran == 4
    assert run_sweep(load_study(path), out, run_fn=fake_run).ran == 0  # unchanged: resumes
    base.write_text(base.read_text().replace("= 100", "= 200"))  # same name, new value
    second = load_study(path)
    assert not {t.run_id for t in first.tasks} & {t.run_id for t in second.tasks}
    summary = run_sweep(second, out, run_fn=fake_run)
    assert (summary.already_done, summary.ran) == (0, 4)
    monkeypatch.setattr(paramsets, "model_version", lambda: "99.0")
    assert not {t.run_id for t in load_study(path).tasks} & {t.run_id for t in second.tasks}


LHS_INT = """
[study]
design = "lhs"
samples = 5
seed = 3
scale = 50
end_year = 2026

[levers]
"policy.zoning_buffer_cells" = { low = 0, high = 2 }

[outputs]
timeseries = false

[analysis]
outcomes = ["grdp", "green_share"]
"""


def test_integer_range_points_sharing_a_run(tmp_path):
    from distributed import Client, LocalCluster

    from simulation.sweep.executors import DaskExecutor
    from simulation.sweep.study import RunTask

    study = load_study(write_study(tmp_path, text=LHS_INT))
    values = [p["policy.zoning_buffer_cells"] for p in study.points]
    distinct = len(set(values))
    assert distinct < len(values) == 5  # rounding makes points coincide
    assert len({t.run_id for t in study.tasks}) == distinct
    pool = LocalExecutor(2)
    try:
        summary = run_sweep(study, tmp_path / "pool", executor=pool)
        assert (summary.total, summary.succeeded, summary.failed) == (distinct, distinct, 0)
        assert len(list(pool.imap_unordered(RunTask.params, study.tasks * 2))) == 10
    finally:
        pool.close()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        summary = run_sweep(study, tmp_path / "dask", scheduler=cluster.scheduler_address)
        assert (summary.succeeded, summary.failed) == (distinct, 0)
        # the executor itself accepts repeated tasks (unique Dask keys)
        out = list(DaskExecutor(client=client).imap_unordered(RunTask.params,
                                                              study.tasks * 2))
        assert sorted(map(repr, out)) == sorted(map(repr, [t.params() for t in
                                                           study.tasks * 2]))
    assert_same_results(tmp_path / "pool", tmp_path / "dask")
    res = load_results(tmp_path / "dask")  # every point has its (shared) run
    assert list(res.summary["point"]) == [0, 1, 2, 3, 4]
    assert list(res.summary["policy.zoning_buffer_cells"]) == values
    assert res.summary.groupby("policy.zoning_buffer_cells")["grdp"].nunique().eq(1).all()


def test_morris_indices_use_the_rounded_design(tmp_path, monkeypatch):
    from SALib.analyze import morris

    from simulation.sweep.analysis import sensitivity_table

    text = LHS_INT.replace('"lhs"', '"morris"').replace("samples = 5", "samples = 3")
    study = load_study(write_study(tmp_path, text=text))
    run_sweep(study, tmp_path / "out", run_fn=fake_run)
    seen = []
    real = morris.analyze
    monkeypatch.setattr(morris, "analyze", lambda p, x, y, **kw: seen.append(x) or real(
        p, x, y, **kw))
    table = sensitivity_table(load_results(tmp_path / "out"))
    assert len(table) == 2 and seen
    assert (seen[0] == [[p["policy.zoning_buffer_cells"]] for p in study.points]).all()
    assert (seen[0] == seen[0].round()).all()


ONOFF = """
[study]
design = "full_factorial"
replications = 2
seed = 5
scale = 50
end_year = 2026

[levers]
"policy.dialogue" = ["off", "on"]
"policy.emission_charge" = [0, 5000]
"""


def test_analyse_categorical_lever_and_exit_codes(tmp_path, capsys, monkeypatch):
    from simulation.sweep import figures

    out = tmp_path / "out"
    run_sweep(load_study(write_study(tmp_path, text=ONOFF)), out, run_fn=fake_run)
    assert main(["analyse", str(out)]) == 0
    files = {p.name for p in (out / "analysis").iterdir()}
    assert {"response_curves.png", "trajectories.png", "points.csv"} <= files
    resp = pd.read_csv(out / "analysis" / "response.csv")
    assert set(resp[resp.lever == "policy.dialogue"]["value"]) == {"off", "on"}
    before = {p.name: p.read_bytes() for p in (out / "analysis").iterdir()}
    # an internal error is exit 70 (not "bad input"), one line; the old analysis stays whole
    monkeypatch.setattr(figures, "tradeoff", lambda *a: 1 / 0)
    capsys.readouterr()
    assert main(["analyse", str(out)]) == 70
    assert "internal error: ZeroDivisionError" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in (out / "analysis").iterdir()} == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".analysis")] == []
    # bad input: exit status 2 with a message
    failing = tmp_path / "failing"
    run_sweep(load_study(write_study(tmp_path, text=ONOFF)), failing, run_fn=_raise)
    capsys.readouterr()
    assert main(["analyse", str(failing)]) == 2
    assert "no completed runs" in capsys.readouterr().err
    assert not (failing / "analysis").exists()
    assert main(["analyse", str(out), "--out", str(tmp_path)]) == 2  # not an analysis folder
    assert "holds files that are not ours" in capsys.readouterr().err


def _raise(task):
    raise RuntimeError("always fails")


def test_unreachable_scheduler_is_a_clear_error(tmp_path, capsys, monkeypatch):
    from simulation.sweep import executors

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 1.0)
    out = tmp_path / "out"
    t0 = time.monotonic()
    assert main(["sweep", str(write_study(tmp_path)), "--out", str(out), "--no-progress",
                 "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert time.monotonic() - t0 < 20
    err = capsys.readouterr().err
    assert "tcp://127.0.0.1:1" in err and "cannot connect" in err
    assert not out.exists()


def test_a_dead_worker_keeps_finished_results(monkeypatch):
    """Simulates the race: when the pool breaks, futures that finished meanwhile (but were
    not in the batch `wait` returned) are results, not failures."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from simulation.sweep import executors
    from simulation.sweep.study import RunTask

    class FakePool:
        def submit(self, fn, task):
            fut = Future()
            if task.point == 0:
                fut.set_exception(BrokenProcessPool("worker killed"))
            elif task.point == 1:
                fut.set_result(fn(task))
            # point 2: still running when the pool broke (never finishes)
            return fut

        def shutdown(self, wait=True, cancel_futures=False):
            pass

    def first_broken(fs, return_when):
        done = {f for f in fs if f.done() and f.exception() is not None}
        return done, set(fs) - done

    monkeypatch.setattr(executors, "wait", first_broken)
    monkeypatch.setattr(LocalExecutor, "_new_pool", lambda self: FakePool())
    tasks = [RunTask(f"r{p}", p, 0, 1, "blitar", ()) for p in range(3)]
    outcomes = {o.task.point: o for o in LocalExecutor(2).imap_unordered(fake_run, tasks)}
    assert sorted(outcomes) == [0, 1, 2]
    assert outcomes[1].ok
    assert not outcomes[0].ok and "worker killed" in outcomes[0].error
    assert not outcomes[2].ok and "died" in outcomes[2].error


def test_study_lock_excludes_another_process_but_not_a_dead_sweeps_children(tmp_path):
    import multiprocessing as mp

    from simulation.sweep.store import StudyStore

    folder = str(tmp_path / "study")
    spawn = mp.get_context("spawn")
    with StudyStore(Path(folder)).lock():
        # another process cannot take the lock while this one holds it
        child = spawn.Process(target=_try_lock, args=(folder,))
        child.start()
        child.join(60)
        assert child.exitcode == 3
    # a sweep that dies holding the lock (like SIGKILL) while a forked worker lives on
    subprocess.run([sys.executable, "-c", _LOCK_FORK_AND_DIE, folder], check=True, timeout=120)
    orphan = int((Path(folder) / "orphan.pid").read_text())
    try:
        other = spawn.Process(target=_try_lock, args=(folder,))
        other.start()
        other.join(60)
        assert other.exitcode == 0, "a dead sweep's orphaned worker kept the study locked"
    finally:
        os.kill(orphan, signal.SIGKILL)


_LOCK_FORK_AND_DIE = """
import os, sys, time
from pathlib import Path
from simulation.sweep.store import StudyStore
folder = Path(sys.argv[1])
held = StudyStore(folder).lock()
held.__enter__()
pid = os.fork()
if pid == 0:  # the orphaned "worker" outlives its parent, keeping inherited descriptors
    time.sleep(60)
    os._exit(0)
(folder / "orphan.pid").write_text(str(pid))
os._exit(0 if held else 1)  # die without releasing anything, like SIGKILL
"""


def _try_lock(folder: str) -> None:
    from simulation.sweep.store import StudyLocked, StudyStore

    try:
        with StudyStore(Path(folder)).lock():
            sys.exit(0)
    except StudyLocked:
        sys.exit(3)
