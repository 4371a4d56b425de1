"""The live index: a searcher that follows the generation pointer without a restart."""

from __future__ import annotations

import gc
import logging
import threading
import time
from pathlib import Path

from indexer.encode.embed import Embedder
from indexer.index.adapt import embedder_for_index
from indexer.index.generations import POINTER, resolve
from search_api.retrieval import Searcher

log = logging.getLogger("panel_search.live")
# How often a request may look at the pointer; looking costs one small file read.
CHECK_EVERY = 0.5


def settle_heap() -> None:
    """Keep the cyclic garbage collector from walking what a served generation loaded, on every pass.

    Process-wide by nature (gc.freeze moves every object alive now out of the collector's view), so it is
    called only by the server: once its generation and model are loaded, and again after a new generation
    replaces the old (unfreezing first, so what the old one held can be collected once its requests end).
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class LiveSearcher:
    """Holds the searcher for the live generation and swaps in a new one when the pointer moves.

    A request takes the current searcher once and keeps it, so a swap never disturbs a
    request in flight; the old searcher is dropped when the last request using it ends.
    """

    def __init__(
        self, index_dir: Path, embedder: Embedder, searcher: Searcher | None = None, settles_heap: bool = False
    ) -> None:
        self.index_dir = index_dir
        # Only a server process freezes its heap (see settle_heap); a test or a tool sharing the process does not.
        self.settles_heap = settles_heap
        self.embedder = embedder
        self._searcher = searcher or Searcher(index_dir, embedder)
        self._pointer = self._read_pointer()
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    def _read_pointer(self) -> str | None:
        try:
            return (self.index_dir / POINTER).read_text(encoding="utf-8").strip()
        except OSError:
            return None

    def due(self) -> bool:
        """True when `get` will look at the pointer (and may load a generation): call it off the event loop then."""
        return time.monotonic() - self._checked >= CHECK_EVERY

    def current(self) -> Searcher:
        """The searcher being served, without looking at the pointer."""
        return self._searcher

    def get(self) -> Searcher:
        """The searcher to use for one request."""
        now = time.monotonic()
        if now - self._checked >= CHECK_EVERY:
            self._checked = now
            pointer = self._read_pointer()
            if pointer != self._pointer:
                self._reload(pointer)
        return self._searcher

    def refresh(self) -> None:
        """Look at the pointer now (after this process moved it) rather than at the next check."""
        self._checked = time.monotonic()
        pointer = self._read_pointer()
        if pointer != self._pointer:
            self._reload(pointer)

    def _reload(self, pointer: str | None) -> None:
        with self._lock:
            if pointer == self._pointer:
                return
            try:
                target = resolve(self.index_dir)
                if target.name != self._searcher.generation.name:
                    self.embedder = embedder_for_index(self.index_dir, self.embedder)  # adapted by `index --adapt`
                    self._searcher = Searcher(self.index_dir, self.embedder)
                    log.info("now serving index generation %s", self._searcher.generation.name)
                    if self.settles_heap:
                        settle_heap()
            except Exception as exc:
                serving = self._searcher.generation.name
                log.error("cannot load the new index generation (%s); still serving %s", exc, serving)
            self._pointer = pointer
