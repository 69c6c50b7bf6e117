"""Worker threads for in-process WSGI calls, so a slow handler can be abandoned at the timeout.

Lighter than a ThreadPoolExecutor (no Future per call): each idle worker waits on its own queue,
and the caller waits on a plain lock with a timeout.
"""

from __future__ import annotations

import queue
import threading

from ._targets import DeliveryTimeout

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Job = tuple[Callable[[Any], Any], Any, list[Any], Any]


class _Worker:
    __slots__ = ("jobs", "pool", "thread")

    def __init__(self, pool: Workers) -> None:
        self.pool = pool
        self.jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._loop, name=pool.name, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            fn, arg, box, done = job
            try:
                box.append(fn(arg))
            except BaseException as exc:  # handed to the caller, never lost in this thread
                box.append(exc)
            # Rejoin the idle set before waking the caller: its next call then reuses this
            # thread instead of starting a new one (which cost ~100 us per event).
            keep = self.pool._finished(self)
            done.release()
            if not keep:
                return


class Workers:
    """A small set of reusable threads; ``run(fn, arg, timeout)`` waits at most ``timeout``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        #: Calls in progress, including ones the caller gave up on at the timeout.
        self._running = 0
        self._changed = threading.Condition(self._lock)

    def _finished(self, worker: _Worker) -> bool:
        """A call ended: count it, and put ``worker`` back unless the pool is closed."""
        with self._lock:
            self._running -= 1
            self._changed.notify_all()
            if self._closed:
                return False
            self._idle.append(worker)
            return True

    @property
    def running(self) -> int:
        """Calls still in progress (a handler abandoned at its timeout keeps running)."""
        return self._running

    def wait(self, timeout: float) -> int:
        """Wait up to ``timeout`` seconds for running calls to finish; return how many still run."""
        with self._lock:
            self._changed.wait_for(lambda: self._running == 0, timeout)
            return self._running

    def run(self, fn: Callable[[Any], Any], arg: Any, timeout: float) -> Any:
        with self._lock:
            self._running += 1
            worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker = _Worker(self)
        done = threading.Lock()
        done.acquire()
        box: list[Any] = []
        worker.jobs.put((fn, arg, box, done))
        if not done.acquire(timeout=timeout):
            # The worker finishes the call on its own and then rejoins the idle set.
            raise DeliveryTimeout
        result = box[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.jobs.put(None)
        for worker in idle:
            worker.thread.join()
