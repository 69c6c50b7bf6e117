"""Worker threads for in-process WSGI calls, so a slow handler can be abandoned at the timeout.

Lighter than a ThreadPoolExecutor (no Future per call): each idle worker waits on its own queue,
and the caller waits on a plain lock with a timeout. A call given up on at its timeout keeps its
thread until the handler returns; at most MAX_ABANDONED such threads exist per process, after which
new calls wait (within their own timeout) for one to come back, as requests queue at a server
whose worker threads are all stuck.
"""

from __future__ import annotations

import contextvars
import queue
import threading
import time
import weakref

from ._shared import DeliveryTimeout

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


#: Threads handlers that outlived their timeout may keep, across all pools (then calls wait).
MAX_ABANDONED = 32
#: One lock for every pool: the abandoned-thread count below is shared by all of them.
_LOCK = threading.Lock()
#: Notified when an abandoned call returns and frees its thread.
_FREED = threading.Condition(_LOCK)
_abandoned = 0


def abandoned() -> int:
    """Threads still held by handlers that outlived their timeout, in all pools."""
    return _abandoned


class _Job:
    __slots__ = ("abandoned", "arg", "box", "context", "done", "finished", "fn")

    def __init__(self, fn: Callable[[Any], Any], arg: Any) -> None:
        self.fn = fn
        self.arg = arg
        # The handler runs in the caller's context: what the caller's thread knows (the story
        # event being delivered, which the API mock answers as of) holds inside the app too.
        self.context = contextvars.copy_context()
        self.box: list[Any] = []
        self.done = threading.Lock()
        self.done.acquire()
        self.finished = False  # set under the pool's lock
        self.abandoned = False  # likewise: the caller gave up on it at the timeout


class _Worker:
    __slots__ = ("jobs", "pool", "thread")

    def __init__(self, pool: Workers) -> None:
        self.pool = pool
        self.jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._loop, name=pool.name, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            try:
                job.box.append(job.context.run(job.fn, job.arg))
            except BaseException as exc:  # handed to the caller, never lost in this thread
                job.box.append(exc)
            # Rejoin the idle set before waking the caller: its next call then reuses this
            # thread instead of starting a new one (which cost ~100 us per event).
            keep = self.pool._finished(self, job)
            job.done.release()
            # Hold nothing while idle: the job's bound method would keep its target (and the
            # target's finalizer, which lets this thread go) alive.
            del job
            if not keep:
                return


class Workers:
    """A small set of reusable threads; ``run(fn, arg, timeout)`` waits at most ``timeout``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._idle: list[_Worker] = []
        self._lock = _LOCK
        self._closed = False
        #: Calls in progress, including ones the caller gave up on at the timeout.
        self._running = 0
        self._changed = threading.Condition(self._lock)

    def _finished(self, worker: _Worker, job: _Job) -> bool:
        """A call ended: count it, and put ``worker`` back unless the pool is closed."""
        global _abandoned
        with self._lock:
            job.finished = True
            if job.abandoned:
                _abandoned -= 1
                _FREED.notify_all()
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
        global _abandoned
        deadline = time.monotonic() + timeout
        with self._lock:
            # Too many threads are stuck in handlers that outlived their timeout: wait for one
            # to come back rather than start yet another (2,000 hung handlers, 2,000 threads).
            while not self._idle and _abandoned >= MAX_ABANDONED:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DeliveryTimeout
                _FREED.wait(left)
            self._running += 1
            worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker = _Worker(self)
        job = _Job(fn, arg)
        worker.jobs.put(job)
        if not job.done.acquire(timeout=max(0.0, deadline - time.monotonic())):
            # The worker finishes the call on its own and then rejoins the idle set.
            with self._lock:
                if not job.finished:
                    job.abandoned = True
                    _abandoned += 1
            raise DeliveryTimeout
        result = job.box[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def close(self, *, join: bool = True) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.jobs.put(None)
        if join:
            for worker in idle:
                worker.thread.join()


class LazyWorkers:
    """The worker threads of one in-process target, started with its first timed call.

    A target dropped without ``close()`` must not keep idle threads forever, so they are closed
    when their owner is collected (without a join: the collection may run in one of them).
    """

    def __init__(self, name: str, owner: object) -> None:
        self.name = name
        self._owner = weakref.ref(owner)
        self._workers: Workers | None = None
        self._lock = threading.Lock()

    def get(self) -> Workers:
        workers = self._workers
        if workers is None:
            with self._lock:
                if self._workers is None:
                    self._workers = Workers(self.name)
                    owner = self._owner()
                    if owner is not None:
                        weakref.finalize(owner, self._workers.close, join=False)
                workers = self._workers
        return workers

    def wait(self, timeout: float) -> int:
        """Wait up to ``timeout`` seconds for handlers that outlived their delivery timeout;
        return how many are still running."""
        workers = self._workers
        return 0 if workers is None else workers.wait(timeout)

    def close(self) -> None:
        workers, self._workers = self._workers, None
        if workers is not None:
            workers.close()
