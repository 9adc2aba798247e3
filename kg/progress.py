"""Progress bars of long commands (build, load, kb import, kb build --sparql, enrich): a tqdm bar on standard
error when it is a terminal, with a rate, and a percentage and an ETA when the total is known; when standard
error is a file or a pipe, nothing at all.

>>> import io
>>> with bar(3, desc="kg demo", file=io.StringIO()) as b:  # no terminal: a bar that shows nothing
...     b.update(3)
>>> type(b).__name__, b.n
('Quiet', 3)
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import IO, Iterable, Iterator, TypeVar

T = TypeVar("T")


class Quiet:
    """What :func:`bar` gives when nothing is to be shown: counts, and prints nothing."""

    def __init__(self, total: float | None = None):
        self.total, self.n = total, 0

    def update(self, n: float = 1) -> None:
        self.n += n

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        pass


def shown(file: IO | None = None) -> bool:
    """Whether a bar would be drawn on ``file`` (default: standard error): only a terminal gets one."""
    stream = sys.stderr if file is None else file
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed stream
        return False


@contextmanager
def bar(total: float | None = None, *, desc: str, unit: str = " item", unit_scale: bool = False,
        enabled: bool = True, file: IO | None = None) -> Iterator:
    """A tqdm bar of ``total`` steps (None: not known, so a count and a rate without an ETA), or a :class:`Quiet`
    one when ``enabled`` is false or ``file`` (default: standard error) is no terminal. Log lines written while it
    is shown go above it, not through it. ``unit=" B", unit_scale=True`` counts bytes as kB, MB ..."""
    if not enabled or not shown(file):
        yield Quiet(total)
        return
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    shown_bar = tqdm(total=total, desc=desc, unit=unit, unit_scale=unit_scale, file=file or sys.stderr,
                     dynamic_ncols=True, mininterval=0.5, smoothing=0.1)
    try:
        with logging_redirect_tqdm(tqdm_class=tqdm):
            yield shown_bar
    finally:
        shown_bar.close()


def track(items: Iterable[T], total: float | None = None, **options) -> Iterator[T]:
    """Each of ``items``, counted on a :func:`bar` (same options) as it is taken."""
    with bar(total, **options) as b:
        for item in items:
            yield item
            b.update()
