"""Sub-commands of ``blitar-sim``, one module each.

Every module here defines ``register(subparsers) -> None``, which adds its parser with
``set_defaults(handler=fn)``; ``fn(args) -> int`` returns the exit status. The CLI finds
the modules by listing this package (names starting with "_" are skipped), so adding a
command means adding a module. Errors are raised, not printed: the CLI turns them into a
one-line message and an exit status. The argument types below reject NaN, infinities and
out-of-range numbers at parse time (exit status 2).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def finite_float(low: float | None = None, high: float | None = None
                 ) -> Callable[[str], float]:
    """argparse type: a finite number in [low, high]."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r}: must be a finite number")
        if low is not None and value < low:
            raise argparse.ArgumentTypeError(f"{text!r}: must be >= {low:g}")
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(f"{text!r}: must be <= {high:g}")
        return value
    return parse


def int_in(low: int, high: int) -> Callable[[str], int]:
    """argparse type: an integer in [low, high]."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value}: must be {low}-{high}")
        return value
    return parse
