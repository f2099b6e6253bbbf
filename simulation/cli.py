"""The ``blitar-sim`` command line.

Sub-commands live in :mod:`simulation.commands` (one module each, found by listing the
package). Every command fails through one path, :func:`error_exit`: an exception becomes a
one-line message naming the file or key and an exit status from :data:`EXIT_STATUS`
(documented in the ``--help`` epilog and the README); ``--debug`` adds the traceback.
"""

from __future__ import annotations

import os
import signal
import sys


def _stopped_while_starting(signum: int, frame: object) -> None:
    # nothing is written before main() runs, so there is nothing to clean up
    os.write(2, b"blitar-sim: error: interrupted while starting; nothing was written\n")
    os._exit(128 + signum)


PROGRAM = os.path.basename(sys.argv[0]) in ("blitar-sim", "cli.py")  # not imported by a test
if PROGRAM:
    for _sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(_sig, _stopped_while_starting)

import argparse  # noqa: E402
import errno  # noqa: E402
import importlib  # noqa: E402
import pkgutil  # noqa: E402
import re  # noqa: E402
import traceback  # noqa: E402
from typing import NoReturn  # noqa: E402

from simulation import commands  # noqa: E402
from simulation.environment.geography import MapError  # noqa: E402
from simulation.results.errors import ClusterLost, OtherModelVersion, Terminated  # noqa: E402
from simulation.scenarios import ConfigError  # noqa: E402

EXIT_OK, EXIT_PARTIAL, EXIT_BAD_INPUT, EXIT_DIFFERS = 0, 1, 2, 3
EXIT_PERMISSION, EXIT_DISK_FULL, EXIT_CLUSTER_LOST, EXIT_OTHER_VERSION = 4, 5, 6, 7
EXIT_INTERNAL, EXIT_SIGINT, EXIT_SIGTERM = 70, 130, 143
MAX_MESSAGE = 2000  # characters of an error message shown (the rest: --debug)

EXIT_STATUS = f"""\
exit status (every command):
  {EXIT_OK}    success
  {EXIT_PARTIAL}    partial: some sweep runs failed (rerun to retry), or reproduce found
       differences within the tolerance
  {EXIT_BAD_INPUT}    bad input: option, scenario, study, map, manifest or data file, or an
       output path that cannot be used (a file in the way, an existing folder); nothing
       is written
  {EXIT_DIFFERS}    reproduce: results differ beyond the tolerance
  {EXIT_PERMISSION}    permission denied or read-only file system (nothing half-written is left)
  {EXIT_DISK_FULL}    no space left on the device (completed sweep runs are kept; rerun resumes)
  {EXIT_CLUSTER_LOST}    the Dask scheduler or all its workers were lost mid-sweep (completed runs
       are kept; rerun resumes)
  {EXIT_OTHER_VERSION}    reproduce: recorded with another model version; rerun with --rebuild or
       run the printed commands
  {EXIT_INTERNAL}   internal error (a bug: please report it with the --debug output)
  {EXIT_SIGINT}  interrupted (Ctrl+C); {EXIT_SIGTERM} terminated (SIGTERM); sweeps keep
       completed runs
Add --debug (anywhere) to see the traceback of an error.
"""

_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_PERMISSION = {errno.EACCES, errno.EPERM, errno.EROFS}


class OneLineParser(argparse.ArgumentParser):
    """argparse with usage errors on one line (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} "
                                  f"(see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="blitar-sim",
        description="Agent-based simulation of industrial growth scenarios for Kota Blitar.",
        epilog=EXIT_STATUS, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an error (also accepted after the "
                             "command)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{commands.__name__}.{info.name}").register(sub)
    return parser


def _os_errno(exc: OSError) -> int | None:
    """The errno of an OSError, also when a library (pyarrow) put it only in the text."""
    if exc.errno is not None:
        return exc.errno
    m = re.search(r"\[errno (\d+)\]", str(exc), re.IGNORECASE)
    if m:
        return int(m.group(1))
    text = str(exc).lower()
    return errno.ENOSPC if "no space left" in text else None


def classify(exc: BaseException) -> tuple[int, str]:
    """The exit status and one-line message for an exception: the one error path."""
    if isinstance(exc, Terminated):
        return EXIT_SIGTERM, "terminated (SIGTERM); completed work is kept, nothing is " \
                             "half-written"
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_SIGINT, "interrupted (Ctrl+C); completed work is kept, nothing is " \
                            "half-written"
    if isinstance(exc, ConfigError | MapError):
        return EXIT_BAD_INPUT, str(exc)
    if isinstance(exc, ClusterLost):
        return EXIT_CLUSTER_LOST, str(exc)
    if isinstance(exc, OtherModelVersion):
        return EXIT_OTHER_VERSION, str(exc)
    if isinstance(exc, OSError):
        code = _os_errno(exc)
        where = f"{exc.filename}: " if exc.filename else ""
        what = exc.strerror or str(exc)
        if exc.filename2:
            where = f"{exc.filename} -> {exc.filename2}: "
        if code in _DISK_FULL:
            return EXIT_DISK_FULL, f"{where}no space left on the device ({what}); nothing " \
                                   "half-written is left, completed work is kept"
        if code in _PERMISSION:
            return EXIT_PERMISSION, f"{where}cannot write here: {what}"
        return EXIT_BAD_INPUT, f"{where}{what}"
    if isinstance(exc, UnicodeError):
        return EXIT_BAD_INPUT, f"input is not UTF-8 text ({exc})"
    if isinstance(exc, MemoryError):
        return EXIT_INTERNAL, "out of memory (try a larger --scale or fewer --workers)"
    return EXIT_INTERNAL, (f"internal error: {type(exc).__name__}: {exc} (a bug; rerun with "
                           "--debug and report the traceback)")


def one_line(message: str) -> str:
    """A message on one line, at most :data:`MAX_MESSAGE` characters."""
    parts = [p.strip() for p in str(message).splitlines() if p.strip()]
    text = (parts[0] + (" " + "; ".join(parts[1:]) if parts[1:] else "")) if parts else ""
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE] + f" ... ({len(text) - MAX_MESSAGE} more characters)"
    return text


def error_exit(exc: BaseException, debug: bool) -> int:
    status, message = classify(exc)
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    print(f"blitar-sim: error: {one_line(message)}", file=sys.stderr)
    if isinstance(exc, OtherModelVersion) and exc.commands:
        print("\n".join(exc.commands))
    return status


_signalled: list[int] = []  # SIGTERM / SIGINT received while a command ran


def _raise_terminated(signum: int, frame: object) -> None:
    _signalled.append(signum)
    raise Terminated()


def _raise_interrupted(signum: int, frame: object) -> None:
    _signalled.append(signum)
    raise KeyboardInterrupt


def _signal_exception(exc: BaseException) -> BaseException:
    """The exception that ended the command: a signal's, also when the code it interrupted
    turned it into another one (a compiled module being imported reports SystemError)."""
    if _signalled and not isinstance(exc, Terminated | KeyboardInterrupt):
        return Terminated() if _signalled[-1] == signal.SIGTERM else KeyboardInterrupt()
    return exc


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    cut = argv.index("--") if "--" in argv else len(argv)
    debug = "--debug" in argv[:cut]
    argv = [a for i, a in enumerate(argv) if not (a == "--debug" and i < cut)]
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error, already printed (2)
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    _signalled.clear()
    try:  # SIGTERM unwinds like Ctrl+C: temporaries removed, completed work kept
        previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, _raise_terminated),
                    signal.SIGINT: signal.signal(signal.SIGINT, _raise_interrupted)}
    except ValueError:  # not the main thread (e.g. called from a test's thread)
        previous = {}
    try:
        return int(args.handler(args))
    except BaseException as exc:  # noqa: BLE001 - the one error path of every command
        if isinstance(exc, SystemExit):
            raise
        status = error_exit(_signal_exception(exc), debug)
        if PROGRAM and status in (EXIT_SIGINT, EXIT_SIGTERM):
            # clean-up is done; end now with the documented status (Python would otherwise
            # re-deliver a pending SIGINT at shutdown and exit "killed by signal")
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
        return status
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
