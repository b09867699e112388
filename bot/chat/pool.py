"""A bounded pool of daemon threads for calls that may hang (the LLM), so they never hold the process open.

``concurrent.futures.ThreadPoolExecutor`` joins its threads when the interpreter exits: one model call hung in
a socket read (the HTTP client's timeout applies per read, and a stalled stream can outlive any deadline)
kept ``reportbot serve`` alive for a minute after SIGTERM. Here the threads are daemons: after shutdown, a call
still running is abandoned with the process (its result was already given up on by the chat core), and calls
still queued are cancelled.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from concurrent.futures import Executor, Future
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

_Item = tuple["Future[Any]", "Callable[..., Any]", tuple[Any, ...], dict[str, Any]]
_names = itertools.count(1)


class DaemonPool(Executor):
    """At most ``workers`` calls at once, on daemon threads started on demand."""

    def __init__(self, workers: int, name: str = "reportbot-pool") -> None:
        if workers < 1:
            msg = f"workers must be at least 1, got {workers}"
            raise ValueError(msg)
        self.workers = workers
        self.name = name
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._idle = threading.Semaphore(0)
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Queue ``fn(*args, **kwargs)``; a free thread runs it (a new one while fewer than ``workers`` exist)."""
        with self._lock:
            if self._closed:
                msg = "cannot schedule new calls after shutdown"
                raise RuntimeError(msg)
            future: Future[T] = Future()
            self._queue.put((future, fn, args, kwargs))
            if not self._idle.acquire(blocking=False) and len(self._threads) < self.workers:
                thread = threading.Thread(target=self._work, name=f"{self.name}-{next(_names)}", daemon=True)
                self._threads.append(thread)
                thread.start()
            return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Take no more calls; cancel queued ones if ``cancel_futures``; ``wait`` for running ones if asked."""
        with self._lock:
            self._closed = True
            if cancel_futures:
                while True:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is not None:
                        item[0].cancel()
            for _ in self._threads:
                self._queue.put(None)
            threads = list(self._threads)
        if wait:
            for thread in threads:
                thread.join()

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            future, fn, args, kwargs = item
            if future.set_running_or_notify_cancel():
                try:
                    result = fn(*args, **kwargs)
                except BaseException as exc:
                    future.set_exception(exc)
                else:
                    future.set_result(result)
            del item, future, fn, args, kwargs
            self._idle.release()
