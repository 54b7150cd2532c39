"""The time budget of one account (``--account-timeout``).

Where the account runs in a main thread on POSIX (serial and process executors) a timer
signal stops it when the budget is spent (at the next Python instruction; a long call
into C, e.g. one igraph betweenness run, finishes first). Elsewhere (Dask worker
threads, Windows) the account runs to the end and is then discarded if it took longer.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from influence import defaults

__all__ = ["AccountTimeout", "LONGEST_TIMER", "check_timeout", "time_budget"]

#: Longest the timer of ``account_timeout`` is set for, in seconds (about 31 years):
#: ``signal.setitimer`` refuses more than about 9.2e9 s (``OverflowError``), and a longer
#: budget cannot run out in practice.
LONGEST_TIMER = 1e9


class AccountTimeout(Exception):
    """An account ran longer than its time budget."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`AccountTimeout` if the block takes longer than ``seconds`` (``None``:
    no budget): by a timer signal where one can be used (module docstring), else when
    the block ends. The process's SIGALRM handler and timer are restored afterwards.
    """
    if seconds is None:
        yield
        return
    message = f"exceeded time budget of {seconds:g} s"
    alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    start = time.monotonic()

    def stop(signum, frame):
        raise AccountTimeout(message)

    previous = signal.signal(signal.SIGALRM, stop) if alarm else None
    try:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, min(seconds, LONGEST_TIMER))
        yield
    finally:
        if alarm:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
            finally:
                signal.signal(signal.SIGALRM, previous)
    if time.monotonic() - start > seconds:
        raise AccountTimeout(message)


def check_timeout(seconds: float | None) -> None:
    """Raise ``ValueError`` unless ``seconds`` is ``None`` or a finite number of seconds of
    at least :data:`~influence.defaults.MIN_ACCOUNT_TIMEOUT`.

    >>> check_timeout(0)
    Traceback (most recent call last):
    ...
    ValueError: account timeout must be at least 0.1 seconds, not 0
    """
    if seconds is None:
        return
    if not (math.isfinite(seconds) and seconds >= defaults.MIN_ACCOUNT_TIMEOUT):
        raise ValueError(
            f"account timeout must be at least {defaults.MIN_ACCOUNT_TIMEOUT:g} seconds, "
            f"not {seconds:g}"
        )
