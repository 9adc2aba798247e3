"""Worker processes for builds: tasks go out to N processes, results come back in the tasks' order.

A worker holds one task at a time, and at most two tasks per worker are between being sent and being handed
back in order. That bounds memory, and the main process never writes to a worker that is itself blocked writing
a result back, so the pipes cannot deadlock.

On Linux the workers are forked: they share the memory of the main process and everything it has loaded (the
spaCy pipeline) instead of loading it again. Elsewhere they are spawned and load what they need themselves.
"""
from __future__ import annotations

import multiprocessing
import signal
import sys
from multiprocessing.connection import wait
from typing import Callable, ContextManager, Iterable, Iterator

from kg.errors import WorkerError

METHOD = "fork" if sys.platform.startswith("linux") else "spawn"
_END = object()
# How often the main process wakes while it waits for the workers. Ctrl-C may be delivered to any thread (the
# store's own, say): the main thread then runs Python's handler only once its wait returns.
_TICK = 0.2


class _Raised:
    """An exception raised by a worker's code, to be raised again in the main process."""

    def __init__(self, exc: Exception):
        self.exc = exc


def _serve(conn, inherited, start, args) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle; it stops the workers
    for c in inherited:  # the main process's pipe ends: while a worker holds them, it never sees the main one die
        c.close()
    try:
        with start(*args) as work:
            while (task := conn.recv()) is not None:
                conn.send(work(task))
    except (EOFError, BrokenPipeError):
        pass  # the main process is gone
    except Exception as exc:
        conn.send(_Raised(exc))


def ordered(tasks: Iterable, workers: int, start: Callable[..., ContextManager[Callable]], *args) -> Iterator:
    """``work(task)`` for every task, in the tasks' order, computed by ``workers`` processes that each run
    ``with start(*args) as work``. Tasks are read only as workers need them. Leaving early (an error, Ctrl-C,
    ``close()``) kills the workers; a worker that dies is a :class:`WorkerError`."""
    ctx = multiprocessing.get_context(METHOD)
    pool: list[tuple[multiprocessing.Process, object]] = []
    finished = False
    try:
        for n in range(workers):
            mine, theirs = ctx.Pipe()
            inherited = [c for _, c in pool] + [mine] if METHOD == "fork" else []
            p = ctx.Process(target=_serve, args=(theirs, inherited, start, args), name=f"kg-worker-{n + 1}",
                            daemon=True)
            p.start()
            theirs.close()
            pool.append((p, mine))
        yield from _schedule(iter(tasks), pool)
        finished = True
    finally:
        for p, conn in pool:
            if finished:
                try:
                    conn.send(None)  # let it close what it opened
                    p.join(timeout=10)
                except OSError:
                    pass  # it is gone already
            if p.is_alive():
                p.kill()
            p.join()
            conn.close()


def _schedule(tasks: Iterator, pool: list) -> Iterator:
    idle = list(pool)
    busy: dict = {}  # connection -> (task number, process)
    done: dict = {}  # task number -> result, until the results before it are handed back
    sent = handed = 0
    more = True
    while True:
        while more and idle and sent - handed < 2 * len(pool):
            task = next(tasks, _END)
            if task is _END:
                more = False
                break
            p, conn = idle.pop()
            try:
                conn.send(task)
            except OSError:  # it died between two tasks
                raise WorkerError(_stopped(p)) from None
            busy[conn] = (sent, p)
            sent += 1
        while handed in done:  # handed back after sending, so that workers work while the caller does
            yield done.pop(handed)
            handed += 1
        if not busy:
            if more:
                continue  # the window was full of finished results: there is room again now
            return
        ready = wait([*busy, *(p.sentinel for p, _ in pool)], timeout=_TICK)
        for conn in [r for r in ready if r in busy]:
            number, p = busy.pop(conn)
            try:
                result = conn.recv()
            except EOFError:
                raise WorkerError(_stopped(p)) from None
            if isinstance(result, _Raised):
                raise result.exc
            done[number] = result
            idle.append((p, conn))
        for p, _ in pool:
            if p.exitcode is not None:
                raise WorkerError(_stopped(p))


def _stopped(p) -> str:
    p.join(timeout=5)
    code = p.exitcode
    if code is not None and code < 0:
        how = f"killed by signal {-code}" + (f" ({signal.strsignal(-code)})" if signal.strsignal(-code) else "")
        if -code == signal.SIGKILL:
            how += ", often the system running out of memory"
    else:
        how = f"exit code {code}"
    return (f"a build worker process stopped unexpectedly ({how}); the articles stored so far are complete; "
            "build again to add the rest, with fewer --workers if memory is short")
