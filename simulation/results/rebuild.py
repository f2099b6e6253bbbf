"""Reproducing a run recorded with another model version: rebuild that version.

A manifest records the model version, the git commit of the code and the package
versions. If the installed version differs, :func:`plan` gives the commands that rebuild
the recorded one in a temporary folder and re-run the entry there:

1. ``git worktree add --detach TMP/src COMMIT`` (the code as it was);
2. ``pythonX.Y -m venv TMP/venv`` and ``pip install -r TMP/src/requirements-lock.txt``
   (the pinned environment of the published runs), then
   ``pip install --no-deps -e TMP/src``;
3. ``TMP/venv/bin/blitar-sim reproduce ENTRY`` (the stored files of this checkout are the
   reference);
4. remove the worktree and the folder.

``blitar-sim reproduce ENTRY --rebuild`` runs them (:meth:`RebuildPlan.run`); without it,
the commands are printed and the exit status is 7. Needs git, the recorded commit in this
repository and access to the package index (or a pip cache).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulation.scenarios import ConfigError

REPO = Path(__file__).resolve().parents[2]
LOCK_FILE = "requirements-lock.txt"


class RebuildError(ConfigError):
    """The recorded version cannot be rebuilt here (no commit recorded, not in this
    repository, no lock file at that commit): bad input, exit status 2."""


@dataclass(frozen=True)
class RebuildPlan:
    commit: str | None
    python: str
    target: Path           # the entry or run folder (absolute), the reference
    rtol: float
    atol: float
    dirty: bool | None

    def steps(self, tmp: str) -> list[list[str]]:
        src, venv = f"{tmp}/src", f"{tmp}/venv"
        return [["git", "-C", str(REPO), "worktree", "add", "--detach", src, str(self.commit)],
                [self.python, "-m", "venv", venv],
                [f"{venv}/bin/pip", "install", "--quiet", "-r", f"{src}/{LOCK_FILE}"],
                [f"{venv}/bin/pip", "install", "--quiet", "--no-deps", "-e", src],
                [f"{venv}/bin/blitar-sim", "reproduce", str(self.target),
                 "--rtol", repr(self.rtol), "--atol", repr(self.atol)]]

    def commands(self) -> list[str]:
        """The shell commands, to copy and paste."""
        tmp = "$TMP"
        lines = ["TMP=$(mktemp -d)"]
        lines += [" ".join(a if a.startswith(tmp) else shlex.quote(a) for a in step)
                  for step in self.steps(tmp)]
        lines.append(f"git -C {shlex.quote(str(REPO))} worktree remove --force $TMP/src; "
                     "rm -rf $TMP")
        if self.dirty:
            lines.insert(0, "# the run was recorded from a tree with uncommitted changes: "
                            "the rebuilt code may not be exactly what ran")
        return lines

    def check(self) -> None:
        if not self.commit:
            raise RebuildError(f"{self.target}: the manifest records no git commit; the "
                               "recorded version cannot be rebuilt")
        try:
            subprocess.run(["git", "-C", str(REPO), "cat-file", "-e",
                            f"{self.commit}:{LOCK_FILE}"], check=True, capture_output=True,
                           timeout=30)
        except (OSError, subprocess.SubprocessError):
            raise RebuildError(
                f"commit {self.commit[:12]} (or its {LOCK_FILE}) is not in the repository "
                f"at {REPO}; fetch it first (git fetch origin {self.commit})") from None

    def run(self, log: Any = sys.stderr) -> int:
        """Rebuild in a temporary folder, re-run there and return that exit status. The
        folder and the worktree are removed afterwards, also on Ctrl+C."""
        self.check()
        tmp = tempfile.mkdtemp(prefix="blitar-rebuild-")
        src = Path(tmp) / "src"
        try:
            *setup, run = self.steps(tmp)
            for step in setup:
                print(f"+ {' '.join(step)}", file=log, flush=True)
                subprocess.run(step, check=True, stdout=log, stderr=log)
            print(f"+ {' '.join(run)}", file=log, flush=True)
            return subprocess.run(run).returncode
        except subprocess.CalledProcessError as exc:
            raise RebuildError(f"rebuilding blitar-sim at {str(self.commit)[:12]} failed at "
                               f"'{' '.join(exc.cmd[:4])} ...' (exit {exc.returncode})") from None
        finally:
            if src.exists():
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force",
                                str(src)], capture_output=True)
            shutil.rmtree(tmp, ignore_errors=True)


def plan(manifest_path: Path, manifest: dict[str, Any], rtol: float,
         atol: float) -> RebuildPlan:
    """How to rebuild the version that recorded ``manifest`` and re-run it."""
    git = manifest.get("git") or {}
    py = str((manifest.get("versions") or {}).get("python", ""))
    parts = py.split(".")
    python = f"python{parts[0]}.{parts[1]}" if len(parts) >= 2 else "python3"
    if shutil.which(python) is None:
        python = sys.executable if py.startswith(
            f"{sys.version_info[0]}.{sys.version_info[1]}") else python
    return RebuildPlan(git.get("commit"), python, manifest_path.parent.resolve(), rtol, atol,
                       git.get("dirty"))
