"""The fault matrix of issue 14: hostile inputs and faults against ``blitar-sim``, counted.

    .venv/bin/python tests/fault_matrix.py [--quick] [--keep]

Each case runs ``blitar-sim`` as a subprocess in its own empty workspace (its working
directory), at scale 100 with short horizons, and is judged on:

* exit status: one of the statuses the case allows (a bad input is 2, a fault its code);
* stderr: no Python traceback, and one line when the command fails;
* files left behind: no temporary (``.*.partial``, ``.*.tmp``, ``.*.old``) anywhere in the
  workspace after the case (after the follow-up command, for kill cases), and no output
  folder when the command failed;
* hangs: a case still running after its timeout (120 s) is killed and counted;
* processes left: any process of the case's session still alive 15 s after the command
  ended (pool workers of a killed sweep);
* outputs outside the chosen folder: new entries outside the workspace's allowed output
  folders (``--out``, ``results/``), in the workspace's parent or in this repository's
  ``results/``.

Prints one line per case and the totals. ``--quick`` skips the slow fault cases (signals,
Dask, orphaned workers). The disk-full cases use a tiny tmpfs when run as root (mount
allowed), else it is skipped here (tests/test_faults.py covers it with a patched writer).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SHORT = ["--scale", "100", "--set", "scenario.end_year=2026", "--no-progress"]
TIMEOUT = 120.0
STUDY = """[study]
replications = {reps}
seed = 3
scale = 100
end_year = {end}
[levers]
"policy.emission_charge" = [0, 20000]
"policy.green_subsidy_share" = [0.0, 0.6]
"""
TEMP_SUFFIXES = (".partial", ".tmp", ".old")


@dataclass
class Case:
    name: str
    args: list[str] | Callable[[Path], list[str]]
    expect: tuple[int, ...] = (2,)
    setup: Callable[[Path], None] | None = None
    action: Callable[[subprocess.Popen, Path], None] | None = None  # e.g. send a signal
    after: Callable[[Path], list[str]] | None = None  # follow-up command (kill cases)
    outputs: tuple[str, ...] = ("out", "results")   # allowed output places in the workspace
    slow: bool = False
    needs: Callable[[], bool] | None = None


@dataclass
class Result:
    case: Case
    status: int | None = None
    clean: bool = False
    traceback: bool = False
    multiline: bool = False
    unexpected: bool = False
    left: list[str] = field(default_factory=list)
    hang: bool = False
    procs: int = 0
    outside: list[str] = field(default_factory=list)
    skipped: str = ""


# --- workspace set-up helpers ---------------------------------------------------------------
def write(rel: str, data: str | bytes) -> Callable[[Path], None]:
    def setup(ws: Path) -> None:
        p = ws / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode() if isinstance(data, str) else data)
    return setup


def study(reps: int = 1, end: int = 2026, extra: str = "") -> Callable[[Path], None]:
    return write("st.toml", STUDY.format(reps=reps, end=end) + extra)


def chain(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(ws: Path) -> None:
        for s in setups:
            s(ws)
    return setup


CACHE: dict[str, Path] = {}


def cached(kind: str) -> Path:
    """A completed run folder or study folder, made once and copied into workspaces."""
    if kind not in CACHE:
        base = Path(tempfile.mkdtemp(prefix=f"fm-{kind}-"))
        if kind == "run":
            cmd = ["run", *SHORT, "--out", str(base / "r")]
        else:
            (base / "st.toml").write_text(STUDY.format(reps=1, end=2026))
            cmd = ["sweep", str(base / "st.toml"), "--out", str(base / "s"), "--workers", "1",
                   "--no-progress"]
        subprocess.run([PY, "-m", "simulation.cli", *cmd], cwd=base, check=True,
                       capture_output=True)
        CACHE[kind] = base / ("r" if kind == "run" else "s")
    return CACHE[kind]


def copy_of(kind: str, edit: Callable[[Path], None] | None = None) -> Callable[[Path], None]:
    def setup(ws: Path) -> None:
        dst = ws / kind
        shutil.copytree(cached(kind), dst)
        if kind == "study":
            (ws / "st.toml").write_text(STUDY.format(reps=1, end=2026))
        if edit is not None:
            edit(dst)
    return setup


def edit_json(rel: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        data = json.loads((folder / rel).read_text())
        change(data)
        (folder / rel).write_text(json.dumps(data))
    return edit


def truncate(rel: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        p = next(folder.glob(rel))
        p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    return edit


def delete(rel: str) -> Callable[[Path], None]:
    return lambda folder: next(folder.glob(rel)).unlink()


def read_only(ws: Path) -> None:
    (ws / "ro").mkdir()
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(ws / "ro")], check=True)
    else:
        (ws / "ro").chmod(0o555)


def can_chattr() -> bool:
    if os.geteuid() != 0:
        return True
    probe = Path(tempfile.mkdtemp())
    ok = subprocess.run(["chattr", "+i", str(probe)], capture_output=True).returncode == 0
    subprocess.run(["chattr", "-i", str(probe)], capture_output=True)
    probe.rmdir()
    return ok


def can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    probe = Path(tempfile.mkdtemp())
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
                        capture_output=True).returncode == 0
    if ok:
        subprocess.run(["umount", str(probe)], check=True)
    probe.rmdir()
    return ok


def tiny_disk(ws: Path, size: str = "1m") -> None:
    (ws / "disk").mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(ws / "disk")],
                   check=True)


def signal_after(sig: int, delay: float, group: bool = False,
                 until: str | None = None) -> Callable[[subprocess.Popen, Path], None]:
    def act(proc: subprocess.Popen, ws: Path) -> None:
        deadline = time.monotonic() + 90
        if until is not None:
            while time.monotonic() < deadline and not (ws / until).exists():
                time.sleep(0.1)
        time.sleep(delay)
        if group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
    return act


def kill_scheduler(proc: subprocess.Popen, ws: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (ws / "out" / "index.jsonl").exists():
        time.sleep(0.2)
    os.killpg(int((ws / "scheduler.pid").read_text()), signal.SIGKILL)


def dask_cluster(ws: Path) -> None:
    exe = str(Path(PY).with_name("dask"))
    port = 30000 + (os.getpid() + int(time.time())) % 20000
    sched = subprocess.Popen([exe, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                              "--no-dashboard"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    worker = subprocess.Popen([exe, "worker", f"tcp://127.0.0.1:{port}", "--nthreads", "1",
                               "--no-dashboard"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    (ws / "scheduler.pid").write_text(str(sched.pid))
    (ws / "worker.pid").write_text(str(worker.pid))
    (ws / "address").write_text(f"tcp://127.0.0.1:{port}")
    time.sleep(3)


# --- the cases --------------------------------------------------------------------------------
def cases() -> list[Case]:
    run = ["run", *SHORT]
    big_list = ", ".join(str(i) for i in range(100))
    deep = {f"c{i}.toml": f'[scenario]\nbase = "c{i + 1}.toml"\n' for i in range(1100)}
    deep["c1100.toml"] = '[scenario]\nbase = "blitar"\n'

    def files(mapping: dict[str, str]) -> Callable[[Path], None]:
        return chain(*(write(k, v) for k, v in mapping.items()))

    def deep_args(ws: Path) -> list[str]:
        return ["run", "--scenario", str(ws / "c0.toml"), "--out", "out"]

    out: list[Case] = []
    # -- bad values and options
    for name, sets in [("nan charge", "policy.emission_charge=nan"),
                       ("inf fine", "policy.fine=inf"), ("negative charge",
                                                         "policy.emission_charge=-1"),
                       ("bool for int", "policy.workshop_slots_per_year=true"),
                       ("unknown key", "policy.emision_charge=1"),
                       ("string for float", 'policy.fine="a lot"'),
                       ("list for float", "policy.fine=[1,2]"),
                       ("year outside horizon", "scenario.big_plant_year=2099"),
                       ("missing map", "scenario.map=/nonexistent.toml"),
                       ("map is a folder", "scenario.map=/tmp"),
                       ("huge seed", "scenario.seed=99999999999999999999999"),
                       ("no equals", "policy.fine"),
                       ("section not a table", "policy=5"), ("empty key", "=5")]:
        out.append(Case(f"run --set {name}", [*run, "--set", sets, "--out", "out"]))
    out += [Case("run unknown scenario", ["run", "--scenario", "atlantis", "--out", "out"]),
            Case("run --seed nan", ["run", "--seed", "nan"]),
            Case("run --set scenario.scale=0", ["run", "--set", "scenario.scale=0", "--out",
                                                "out"]),
            Case("run --scale 1e9", ["run", "--scale", "1000000000", "--out", "out"]),
            Case("run existing --out", [*run, "--out", "out"], setup=write("out/x", "")),
            Case("reproduce --rtol nan", ["reproduce", "baseline", "--rtol", "nan"]),
            Case("reproduce --atol inf", ["reproduce", "baseline", "--atol", "inf"]),
            Case("reproduce --rtol -1", ["reproduce", "baseline", "--rtol", "-1"]),
            Case("reproduce unknown entry", ["reproduce", "atlantis"]),
            Case("reproduce nothing", ["reproduce"]),
            Case("sweep --workers 0", ["sweep", "policy_mix", "--workers", "0"]),
            Case("sweep --scheduler ''", ["sweep", "st.toml", "--scheduler", ""], setup=study()),
            Case("sweep --scheduler garbage", ["sweep", "st.toml", "--scheduler", "garbage://x"],
                 setup=study()),
            Case("sweep unreachable scheduler", ["sweep", "st.toml", "--scheduler",
                                                  "tcp://127.0.0.1:9"], setup=study(),
                 slow=True),
            Case("check-facts --seeds 1", ["check-facts", "--seeds", "1"]),
            Case("viz --port 99999", ["viz", "--port", "99999"]),
            Case("unknown command", ["frobnicate"]),
            Case("bad option", ["run", "--frobnicate"])]
    # -- scenario files
    for name, data in [("non-UTF-8", b'[scenario]\nname = "\xff\xfe"\n'),
                       ("base = 5", b"[scenario]\nbase = 5\n"),
                       ("invalid TOML", b"[scenario\n"), ("scenario = 3", b"scenario = 3\n"),
                       ("base loop", b'[scenario]\nbase = "s.toml"\n'),
                       ("200k unknown keys", b"[policy]\n" + b"".join(
                           b"k%d = 1\n" % i for i in range(200_000))),
                       ("NUL in base", b'[scenario]\nbase = "a\\u0000b"\n'),
                       ("empty file", b""), ("binary junk", bytes(range(256)) * 4)]:
        out.append(Case(f"scenario file: {name}", ["run", "--scenario", "s.toml", *SHORT[:2],
                                                   "--out", "out"], setup=write("s.toml", data),
                        expect=(0, 2) if name == "empty file" else (2,)))
    out.append(Case("scenario file: 1,100-deep base chain", deep_args, setup=files(deep)))
    out.append(Case("map next to scenario file", ["run", "--scenario", "s.toml", *SHORT,
                                                  "--out", "out"], expect=(0,),
                    setup=chain(write("s.toml", '[scenario]\nbase = "blitar"\nmap = "m.toml"\n'),
                                write("m.toml", (ROOT / "simulation/scenarios/maps/blitar.toml")
                                      .read_text()))))
    out.append(Case("map file non-UTF-8", ["run", *SHORT, "--set", 'scenario.map="m.toml"',
                                           "--out", "out"], setup=write("m.toml", b"\xff\xfe")))
    # -- names are never paths (valid runs that must stay inside results/runs)
    for name in ["../../../escaped", "/etc/x", "a\\u0000b", "x" * 300, ".hidden", ".."]:
        out.append(Case(f"scenario.name {name[:20]!r}", [*run, "--set",
                                                          f'scenario.name="{name}"'],
                        expect=(0,), outputs=("results/runs",)))
    out += [Case("study.name '../x'", ["sweep", "st.toml", "--dry-run"],
                 setup=write("st.toml", STUDY.format(reps=1, end=2026).replace(
                     "[study]", '[study]\nname = "../x"'))),
            Case("publish name '../x'", ["reproduce", "--publish", "../x", "--registry", "reg"]),
            Case("analyse '../../x'", ["analyse", "../../x"])]
    # -- studies
    for name, extra, args in [
            ("outcomes = []", "\n[analysis]\noutcomes = []\n", []),
            ("missing map axis", '"scenario.map" = ["maps/blitar.toml", "nope.toml"]\n', []),
            ("unknown design", "", ["--set", 'study.design="grid"']),
            ("sobol not power of 2", "", ["--set", 'study.design="sobol"', "--set",
                                          "study.samples=3"]),
            ("replications 0", "", ["--set", "study.replications=0"]),
            ("axis value out of range", "", ["--set", "levers.policy.fine=[-1, 5]"]),
            ("empty axis", "", ["--set", "levers.policy.fine=[]"]),
            ("repeated values", "", ["--set", "levers.policy.fine=[1, 1]"]),
            ("reserved key", "", ["--set", "levers.scenario.seed=[1, 2]"]),
            ("nan range", "", ["--set", 'study.design="lhs"', "--set", "study.samples=4",
                               "--set", "levers.policy.fine={low=nan, high=1}"]),
            ("bad override", "", ["--set", "nonsense"]),
            ("huge LHS (dry run)", "", ["--set", 'study.design="lhs"', "--set",
                                        "study.samples=1000000", "--set",
                                        "levers.policy.emission_charge={low=0, high=9}",
                                        "--set", "levers.policy.green_subsidy_share=0.1",
                                        "--dry-run"]),
            ("100x100x100 factorial (dry run)",
             f'"policy.fine" = [{big_list}]\n"policy.workshop_slots_per_year" = [{big_list}]\n',
             ["--set", f"levers.policy.emission_charge=[{big_list}]", "--dry-run"])]:
        out.append(Case(f"study: {name}", ["sweep", "st.toml", "--out", "out", *args],
                        setup=study(extra=extra)))
    out += [Case("study file non-UTF-8", ["sweep", "st.toml"], setup=write("st.toml", b"\xff")),
            Case("study file invalid TOML", ["sweep", "st.toml"], setup=write("st.toml", "[x")),
            Case("study file is a folder", ["sweep", "st.toml"], setup=write("st.toml/x", "")),
            Case("study dry run", ["sweep", "st.toml", "--dry-run"], setup=study(), expect=(0,))]
    # -- corrupt files
    for name, edit in [("versions wrong type", edit_json("manifest.json",
                                                         lambda m: m.update(versions="3"))),
                       ("platform wrong type", edit_json("manifest.json",
                                                         lambda m: m.update(platform=[1]))),
                       ("git wrong type", edit_json("manifest.json",
                                                    lambda m: m.update(git="x"))),
                       ("seed wrong type", edit_json("manifest.json",
                                                     lambda m: m.update(seed="1"))),
                       ("empty manifest", edit_json("manifest.json", lambda m: m.clear())),
                       ("truncated timeseries", truncate("timeseries.parquet")),
                       ("truncated maps", truncate("maps.npz")),
                       ("truncated manifest", truncate("manifest.json")),
                       ("tampered table", lambda f: (f / "timeseries.parquet").write_bytes(
                           (f / "timeseries.parquet").read_bytes()[:-200] + b"\0" * 200))]:
        for command in ("reproduce", "figures"):
            out.append(Case(f"{command}: run folder with {name}",
                            [command, "run"] + (["--out", "out"] if command == "figures" else []),
                            setup=copy_of("run", edit)))
    for name, edit in [("truncated summary part", truncate("summary/*.parquet")),
                       ("truncated timeseries part", truncate("timeseries/*.parquet")),
                       ("missing summary part", delete("summary/*.parquet")),
                       ("{} manifest", edit_json("manifest.json", lambda m: m.clear())),
                       ("malformed runs", edit_json("manifest.json",
                                                    lambda m: m.update(runs=[{"run_id": 5}]))),
                       ("point out of range", edit_json("manifest.json", lambda m: m["runs"][0]
                                                        .update(point=99))),
                       ("manifest not JSON", lambda f: (f / "manifest.json").write_bytes(b"\xff")),
                       ("torn index line", lambda f: (f / "index.jsonl").write_text(
                           (f / "index.jsonl").read_text() + '{"run_id": "ab'))]:
        out.append(Case(f"analyse: study with {name}", ["analyse", "study", "--out", "out"],
                        setup=copy_of("study", edit),
                        expect=(0,) if name == "torn index line" else (2,)))
    out.append(Case("sweep resumes a study with a missing part", [
        "sweep", "st.toml", "--out", "study", "--workers", "1", "--no-progress"], expect=(0,),
        setup=copy_of("study", delete("summary/*.parquet")), outputs=("study",)))
    # -- outputs: a file in the way, read-only, disk full
    commands = {"run": [*run, "--out", "{o}"],
                "sweep": ["sweep", "st.toml", "--out", "{o}", "--workers", "1"],
                "analyse": ["analyse", "study", "--out", "{o}"],
                "check-facts": ["check-facts", "--seeds", "2", "--out", "{o}"],
                "figures": ["figures", "baseline", "--out", "{o}"]}
    for command, template in commands.items():
        setup = chain(study(), copy_of("study")) if command in ("sweep", "analyse") else None
        out.append(Case(f"{command}: --out below a file",
                        [a.replace("{o}", "afile/sub/out") for a in template],
                        setup=chain(*(s for s in (setup, write("afile", "x")) if s))))
        out.append(Case(f"{command}: --out in a read-only folder",
                        [a.replace("{o}", "ro/out") for a in template], expect=(4,),
                        setup=chain(*(s for s in (setup, read_only) if s)), needs=can_chattr))
    out.append(Case("run: disk full (64 KiB tmpfs)", [*run, "--out", "disk/out"], expect=(5,),
                    setup=lambda ws: tiny_disk(ws, "64k"), needs=can_mount,
                    outputs=("disk",)))
    out.append(Case("sweep: disk full (1 MiB tmpfs)", [
        "sweep", "st.toml", "--out", "disk/out", "--workers", "1", "--no-progress",
        "--set", "outputs.maps=true", "--set", "study.replications=6"], expect=(5,),
        setup=chain(study(), tiny_disk), needs=can_mount, outputs=("disk",), slow=True))
    # -- kills, signals, workers, concurrency, Dask
    long_run = ["run", "--scale", "100", "--set", "scenario.end_year=2027", "--no-progress",
                "--out", "out"]
    for delay in (1.5, 3.0, 4.5):
        for sig, code in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
            out.append(Case(f"run: {signal.Signals(sig).name} after {delay} s", long_run,
                            expect=(0, code), action=signal_after(sig, delay), slow=True))
        out.append(Case(f"run: SIGKILL after {delay} s, then run again", long_run,
                        expect=(-9, 0), action=signal_after(signal.SIGKILL, delay),
                        after=lambda ws: [*run, "--out", "out2"], slow=True))
    sweep2 = ["sweep", "st.toml", "--out", "out", "--workers", "2", "--no-progress"]
    for sig, code in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
        out.append(Case(f"sweep: {signal.Signals(sig).name} to the process group, then resume",
                        sweep2, expect=(code,), setup=study(reps=3, end=2027), slow=True,
                        action=signal_after(sig, 0.5, group=True, until="out/index.jsonl"),
                        after=lambda ws: sweep2))
    out.append(Case("sweep: SIGKILL of the parent (orphaned workers?), then resume", sweep2,
                    expect=(-9,), setup=study(reps=3, end=2027), slow=True,
                    action=signal_after(signal.SIGKILL, 0.5, until="out/index.jsonl"),
                    after=lambda ws: sweep2))
    out.append(Case("analyse: SIGKILL while writing, then sweep resume", [
        "analyse", "study"], expect=(-9, 0), setup=copy_of("study"), slow=True,
        action=signal_after(signal.SIGKILL, 2.0),
        after=lambda ws: ["sweep", "st.toml", "--out", "study", "--workers", "1",
                          "--no-progress"], outputs=("study",)))
    out.append(Case("three runs started together", lambda ws: [
        "-c", "import subprocess,sys;ps=[subprocess.Popen([sys.executable,'-m',"
        "'simulation.cli','run','--scale','100','--set','scenario.end_year=2026',"
        "'--no-progress','--set','policy.emission_charge='+str(c)]) for c in (0,1,2)];"
        "sys.exit(max(p.wait() for p in ps))"], expect=(0,), slow=True,
        outputs=("results/runs",)))
    out.append(Case("sweep on Dask: scheduler killed mid-sweep, then resume locally",
                    lambda ws: ["sweep", "st.toml", "--out", "out", "--no-progress",
                                "--scheduler", (ws / "address").read_text()],
                    expect=(6,), setup=chain(study(reps=3, end=2026), dask_cluster),
                    action=kill_scheduler, slow=True,
                    after=lambda ws: ["sweep", "st.toml", "--out", "out", "--workers", "1",
                                      "--no-progress"]))
    return out


# --- running and judging one case -------------------------------------------------------------
def temporaries(ws: Path) -> list[str]:
    return [str(p.relative_to(ws)) for p in ws.rglob(".*")
            if p.name.endswith(TEMP_SUFFIXES)]


def snapshot(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def session_procs(sid: int) -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter(["pid"]):
        try:
            if os.getsid(p.pid) == sid and p.status() != psutil.STATUS_ZOMBIE:
                found.append(p)
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return found


def run_case(case: Case, keep: bool) -> Result:
    res = Result(case)
    if case.needs is not None and not case.needs():
        res.skipped = "not possible here"
        return res
    parent = Path(tempfile.mkdtemp(prefix="fm-"))
    ws = parent / "ws"
    ws.mkdir()
    repo_results = snapshot(ROOT / "results")
    try:
        if case.setup:
            case.setup(ws)
        before = {str(p.relative_to(ws)) for p in ws.rglob("*")}
        args = case.args(ws) if callable(case.args) else case.args
        cmd = [PY, *args] if args[:1] == ["-c"] else [PY, "-m", "simulation.cli", *args]
        proc = subprocess.Popen(cmd, cwd=ws, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
        if case.action:
            case.action(proc, ws)
        try:
            _, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            res.hang = True
            os.killpg(proc.pid, signal.SIGKILL)
            _, err = proc.communicate()
        res.status = proc.returncode
        deadline = time.monotonic() + 15
        while session_procs(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.3)
        left_procs = session_procs(proc.pid)
        res.procs = len(left_procs)
        for p in left_procs:
            p.kill()
        res.traceback = "Traceback" in err
        lines = [x for x in err.splitlines() if x.strip()]
        failed = res.status not in (0, None) and res.status > 0
        res.multiline = failed and len(lines) != 1
        res.unexpected = res.status not in case.expect
        res.clean = failed and not res.traceback and not res.multiline and not res.unexpected
        if case.after is not None:
            done = subprocess.run([PY, "-m", "simulation.cli", *case.after(ws)], cwd=ws,
                                  capture_output=True, text=True, timeout=TIMEOUT)
            if done.returncode != 0 or "Traceback" in done.stderr:
                res.unexpected = True
                res.left.append(f"follow-up exit {done.returncode}: {done.stderr[-200:]}")
        res.left += temporaries(ws)
        # (a sweep that is interrupted keeps its committed runs there: resumed by `after`)
        if failed and case.after is None and (ws / "out").exists() and "out" not in before:
            res.left.append("out (a failed command left its output folder)")
        allowed = tuple(case.outputs) + ("afile", "ro", "disk")
        new = {str(p.relative_to(ws)) for p in ws.rglob("*")} - before
        res.outside = sorted(n for n in new if not n.startswith(allowed)
                             and not any(a.startswith(n + "/") for a in allowed)
                             and not any(b.startswith(n) for b in before))
        res.outside += [f"../{n}" for n in snapshot(parent) - {"ws"}]
        res.outside += [f"repo results/{n}" for n in snapshot(ROOT / "results") - repo_results]
    finally:
        for pidfile in ("scheduler.pid", "worker.pid"):
            if (ws / pidfile).is_file():
                try:
                    os.killpg(int((ws / pidfile).read_text()), signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for sub in ("disk",):
            if (ws / sub).is_dir():
                subprocess.run(["umount", str(ws / sub)], capture_output=True)
        if (ws / "ro").is_dir() and os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(ws / "ro")], capture_output=True)
        if not keep:
            shutil.rmtree(parent, ignore_errors=True)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="skip the slow fault cases")
    ap.add_argument("--keep", action="store_true", help="keep the workspaces")
    ap.add_argument("-k", dest="match", default="", help="only cases whose name contains this")
    args = ap.parse_args(argv)
    selected = [c for c in cases() if args.match in c.name and not (args.quick and c.slow)]
    results = []
    t0 = time.perf_counter()
    for case in selected:
        r = run_case(case, args.keep)
        results.append(r)
        if r.skipped:
            verdict = f"SKIPPED ({r.skipped})"
        else:
            bad = [w for w, on in (("TRACEBACK", r.traceback), ("MULTI-LINE", r.multiline),
                                   ("UNEXPECTED STATUS", r.unexpected), ("HANG", r.hang),
                                   (f"{r.procs} PROCESSES LEFT", r.procs),
                                   (f"LEFT {r.left}", r.left),
                                   (f"OUTSIDE {r.outside}", r.outside)) if on]
            verdict = ", ".join(bad) or ("clean error" if r.clean else "valid run / ok")
        print(f"{r.status!s:>4}  {case.name}: {verdict}", flush=True)
    tried = [r for r in results if not r.skipped]
    print(f"\ncases tried: {len(tried)} (skipped {len(results) - len(tried)}) in "
          f"{time.perf_counter() - t0:.0f} s")
    print(f"clean errors: {sum(r.clean for r in tried)}; valid runs or expected kills: "
          f"{sum(not r.clean and not r.unexpected and not r.traceback for r in tried)}")
    counts = {"tracebacks": sum(r.traceback for r in tried),
              "multi-line errors": sum(r.multiline for r in tried),
              "unexpected exit status": sum(r.unexpected for r in tried),
              "files left behind": sum(bool(r.left) for r in tried),
              "hangs": sum(r.hang for r in tried),
              "processes left": sum(r.procs for r in tried),
              "outputs outside the chosen folder": sum(bool(r.outside) for r in tried)}
    print("; ".join(f"{k} = {v}" for k, v in counts.items()))
    return 1 if any(counts.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
