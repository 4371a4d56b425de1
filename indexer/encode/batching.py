"""Query encoding under load: concurrent queries encoded together (micro-batching), and repeats cached."""

from __future__ import annotations

import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future

import numpy as np

Encode = Callable[[Sequence[str]], np.ndarray]


class MicroBatcher:
    """Queries that arrive while one batch is being encoded, or within `window_ms` of its first query,
    are encoded together in one call by one worker thread.

    With no window (the default) a lone query is encoded at once; under load the queries that queue
    behind a running call form the next batch, so the model's work is shared without a wait being
    added to any query.
    """

    def __init__(self, encode: Encode, window_ms: float = 0.0, max_batch: int = 32) -> None:
        self.encode = encode
        self.window = window_ms / 1000
        self.max_batch = max(1, max_batch)
        self.queue: queue.SimpleQueue[tuple[str, Future[np.ndarray]]] = queue.SimpleQueue()
        self.batches = 0
        self.encoded = 0
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def __call__(self, text: str) -> np.ndarray:
        """One query's (1, dimension) vector, encoded with whatever queries arrive beside it."""
        future: Future[np.ndarray] = Future()
        self.queue.put((text, future))
        self._ensure_worker()
        return future.result()

    def _ensure_worker(self) -> None:
        if self._worker is None:
            with self._lock:
                if self._worker is None:
                    self._worker = threading.Thread(target=self._run, name="query-encoder", daemon=True)
                    self._worker.start()

    def _run(self) -> None:
        while True:
            batch = [self.queue.get()]
            deadline = time.perf_counter() + self.window
            while len(batch) < self.max_batch:
                try:
                    batch.append(self.queue.get_nowait())
                except queue.Empty:
                    left = deadline - time.perf_counter()
                    if left <= 0:
                        break
                    try:
                        batch.append(self.queue.get(timeout=left))
                    except queue.Empty:
                        break
            try:
                vectors = self.encode([text for text, _ in batch])
            except Exception as exc:  # handed to every caller of the batch, never lost
                for _, future in batch:
                    future.set_exception(exc)
                continue
            self.batches += 1
            self.encoded += len(batch)
            for row, (_, future) in enumerate(batch):
                future.set_result(vectors[row : row + 1])


class QueryCache:
    """The vectors of recent queries, keyed by their words (case and spacing ignored), least recent dropped."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(text: str) -> str:
        """The cache key of a query: lower case, single spaces."""
        return " ".join(text.lower().split())

    def get(self, text: str) -> np.ndarray | None:
        """The cached vector of a query, or None (counted as a miss)."""
        if self.size <= 0:
            return None
        key = self.key(text)
        with self._lock:
            vector = self._vectors.get(key)
            if vector is None:
                self.misses += 1
                return None
            self._vectors.move_to_end(key)
            self.hits += 1
            return vector

    def put(self, text: str, vector: np.ndarray) -> None:
        """Keep a query's vector, dropping the least recently used beyond the size."""
        if self.size <= 0:
            return
        with self._lock:
            self._vectors[self.key(text)] = vector
            self._vectors.move_to_end(self.key(text))
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)
