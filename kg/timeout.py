"""Run a piece of work in a child process and stop it when it runs past a deadline.

An Oxigraph query cannot be interrupted from Python once it runs, so a query with a timeout runs in a forked
child that opens the store itself; the parent only waits, and kills the child at the deadline.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import time
from typing import Callable, TypeVar

from kg.errors import KgError

T = TypeVar("T")


class TimeoutExpired(Exception):
    """The work ran past its deadline and was stopped."""


def run(work: Callable[[], T], seconds: float | None) -> T:
    """``work()``, or TimeoutExpired after ``seconds``. With no timeout the work runs here, in this process.
    The work must not use anything the parent opened that cannot cross a fork (an open store, say)."""
    if not seconds:
        return work()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, send the outcome back, and leave without running the parent's exits
        os.close(read)
        try:
            outcome = ("ok", work())
        except KgError as exc:
            outcome = ("error", exc)
        except BaseException as exc:  # noqa: BLE001 - the parent reports it
            outcome = ("crash", f"{type(exc).__name__}: {exc}")
        with os.fdopen(write, "wb") as out:
            try:
                out.write(pickle.dumps(outcome))
            except Exception as exc:  # noqa: BLE001
                out.write(pickle.dumps(("crash", f"cannot send the result back: {exc}")))
        os._exit(0)
    os.close(write)
    deadline = time.monotonic() + seconds
    chunks = []
    finished = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutExpired(seconds)
            # short waits: Ctrl-C delivered to another thread is raised here only once select returns
            if not select.select([read], [], [], min(left, 0.2))[0]:
                continue
            chunk = os.read(read, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        finished = True
    finally:
        os.close(read)
        if not finished:  # past the deadline, or Ctrl-C: the query cannot be interrupted, only its process
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    status, value = pickle.loads(b"".join(chunks)) if chunks else ("crash", "the query process died")
    if status == "ok":
        return value
    if status == "error":
        raise value
    raise RuntimeError(value)
