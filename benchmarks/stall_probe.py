"""How long the GUI event loop is blocked, measured from inside it: a precise 5 ms timer records its lateness.

A timer callback runs only when the event loop (or a nested one: a dialog, a progress loop) gets control,
so the gap between two callbacks, minus the interval, is how long the loop could not answer the user:
repaint, click, keystroke. Each gap is charged to the step named by `step()` when the gap ends, which is the
step whose code held the loop. Imports only PySide6: the start-up child (`interactive_start.py`) and the
floor window use it too.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, Qt, QTimer

INTERVAL_MS = 5


class StallProbe(QObject):
    """`worst[step]` is the longest stall (ms) seen during each step; `stalls` every gap over `record_ms`."""

    def __init__(self, record_ms: float = 50.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.record_ms = record_ms
        self.current = "(aucune étape)"
        self.worst: dict[str, float] = {}
        self.stalls: list[tuple[float, float, str]] = []  # (end, length ms, step), perf_counter clock
        self._last = time.perf_counter()
        self.first_tick = 0.0  # when the event loop first ran the probe (perf_counter)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> StallProbe:
        self._last = time.perf_counter()
        self._timer.start()
        return self

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.first_tick = self.first_tick or now
        late = max(0.0, (now - self._last) * 1000 - INTERVAL_MS)
        self._last = now
        if late > self.worst.get(self.current, 0.0):
            self.worst[self.current] = late
        if late > self.record_ms:
            self.stalls.append((now, late, self.current))

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Charge the stalls that end while the block runs to `name`; the driver's own time before it is not."""
        previous, self.current = self.current, name
        self.worst.setdefault(name, 0.0)
        self._last = time.perf_counter()
        try:
            yield
        finally:
            self._tick()  # a step that blocked until its very end is charged to it, not to the next one
            self.current = previous

    def quiet_since(self, longer_than_ms: float) -> float:
        """The end of the last stall longer than `longer_than_ms` (perf_counter), or 0 when there was none."""
        ends = [end for end, late, _ in self.stalls if late > longer_than_ms]
        return max(ends, default=0.0)

    def max_stall(self) -> tuple[float, str]:
        """The longest stall and the step it happened in."""
        if not self.worst:
            return 0.0, ""
        step = max(self.worst, key=self.worst.__getitem__)
        return self.worst[step], step


INTERACTIVE = "interactif:"


def report_when_interactive(app: QObject, quiet_s: float = 1.0, stall_ms: float = 100.0) -> StallProbe:
    """Call when the window is shown: print `interactif: <epoch seconds>`, the first moment, from the event
    loop's first pass on, after which the loop stayed free of stalls over `stall_ms` for `quiet_s`; then quit
    `app`. Whatever blocks the loop from the call on (first paint, file check, snapshot) counts as a stall."""
    probe = StallProbe(record_ms=stall_ms, parent=app).start()
    offset = time.time() - time.perf_counter()  # perf_counter to the epoch clock the parent reads

    def check() -> None:
        since = max(probe.first_tick, probe.quiet_since(stall_ms))
        if time.perf_counter() - since >= quiet_s:
            checker.stop()
            probe.stop()
            print(f"{INTERACTIVE} {since + offset:.6f}", flush=True)
            app.quit()

    checker = QTimer(probe)
    checker.setInterval(INTERVAL_MS)
    checker.timeout.connect(check)
    checker.start()
    return probe
