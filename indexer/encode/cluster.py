"""Embedding spread over a Ray cluster with Ray Data; ray is imported here only, and only when asked for."""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

# The workers load the model from a local folder, like the driver: nothing is fetched from a hub.
WORKER_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
INSTALL_HINT = "install panel-search[cluster] (pip install 'panel-search[cluster]')"


class ClusterError(Exception):
    """Ray is not installed, the cluster cannot be reached, or embedding on it failed."""


def import_ray() -> ModuleType:
    """The ray module with Ray Data loaded, or a ClusterError saying how to install it."""
    try:
        # Ray Data is a separate part of the ray package, missing from a bare `pip install ray`.
        import ray
        import ray.data
    except ImportError as exc:
        raise ClusterError(f"building on a Ray cluster needs ray[data]: {INSTALL_HINT}") from exc
    return ray


class _EncodeBatch:
    """Ray Data callable class: loads the model once per actor, then embeds each batch it is given."""

    def __init__(self, model_path: str | None, batch_size: int, threads: int) -> None:
        import torch

        from indexer.encode.embed import Embedder

        # The same loading code and batching as a local build, so the vectors are the same.
        self.embedder = Embedder(model_path, batch_size=batch_size)
        # One actor per CPU it was given: more torch threads than that only contend with the other actors.
        torch.set_num_threads(threads)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Embed the batch's texts, keeping each one's index so the driver can put them back in order."""
        vectors = self.embedder.encode([str(t) for t in batch["text"]])
        return {"index": np.asarray(batch["index"], dtype=np.int64), "vector": vectors}


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Fail fast with a clear message when nothing listens at a cluster address (ray would retry for a minute)."""
    target = address.removeprefix("ray://")
    host, sep, port = target.rpartition(":")
    if not sep or not port.isdigit():
        raise ClusterError(f"not a Ray cluster address: {address!r} (expected HOST:6379, ray://HOST:10001 or auto)")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as exc:
        raise ClusterError(f"cannot reach the Ray cluster at {address}: {exc}") from exc


class RayEncoder:
    """Encodes texts on a Ray cluster through Ray Data, returning float32 (n, dim) in the input order.

    `address` "auto" joins the cluster named by RAY_ADDRESS or running on this machine, else starts
    a local instance with `workers` CPUs; any other value is a cluster address (HOST:6379 or
    ray://HOST:10001). `workers` is the number of actors, each holding the model and one CPU
    (default: every CPU of the cluster).
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        address: str = "auto",
        *,
        workers: int | None = None,
        batch_size: int = 32,
        progress: bool = False,
    ) -> None:
        if workers is not None and workers < 1:
            raise ClusterError("--ray-workers must be at least 1")
        self.ray = import_ray()
        # A path the driver resolved is only meaningful where the workers see the same files; None lets
        # each worker find the model its own installation ships.
        self.model_path = str(model_path) if model_path else None
        self.batch_size = batch_size
        self.started = False
        self._connect(address, workers)
        self.workers = workers or max(1, int(self.ray.cluster_resources().get("CPU", 1)))
        self.ray.data.DataContext.get_current().enable_progress_bars = progress

    def _connect(self, address: str, workers: int | None) -> None:
        """Join or start the cluster; a ray already initialised in this process is used as it is."""
        ray = self.ray
        if address != "auto":
            _check_reachable(address)
        if ray.is_initialized():
            return
        try:
            if address != "auto":
                ray.init(address=address, log_to_driver=False)
            elif os.environ.get("RAY_ADDRESS"):
                ray.init(log_to_driver=False)
            else:
                try:
                    ray.init(address="auto", log_to_driver=False)
                except ConnectionError:
                    # No cluster here: a local instance, small by default (this is the one-machine case).
                    cpus = workers or min(2, os.cpu_count() or 1)
                    # Ray lowers its workers' priority (nice 15) by default; here they do the build's work while
                    # the driver waits, so they should not yield to every other process on the machine.
                    os.environ.setdefault("RAY_worker_niceness", "0")
                    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
                    self.started = True
        except ClusterError:
            raise
        except Exception as exc:  # ray raises ConnectionError, RuntimeError or its own errors here
            raise ClusterError(f"cannot connect to the Ray cluster at {address}: {exc}") from exc

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts on the cluster; the rows come back in the order of `texts`."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        ray = self.ray
        items = [{"index": i, "text": t} for i, t in enumerate(texts)]
        # Several blocks per actor, so the work is shared out and a slow actor does not hold the rest.
        blocks = max(1, min(len(texts) // self.batch_size or 1, self.workers * 4))
        dataset = ray.data.from_items(items, override_num_blocks=blocks)
        encoded = dataset.map_batches(
            _EncodeBatch,
            fn_constructor_args=(self.model_path, self.batch_size, 1),
            batch_size=self.batch_size,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=self.workers),
            num_cpus=1,
            runtime_env={"env_vars": WORKER_ENV},
        )
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        try:
            for batch in encoded.iter_batches(batch_size=None, batch_format="numpy"):
                parts.append((np.asarray(batch["index"]), np.asarray(batch["vector"], dtype=np.float32)))
        except Exception as exc:  # a worker failing (no model, no package) surfaces here as a Ray error
            raise ClusterError(f"embedding on the Ray cluster failed: {_last_line(exc)}") from exc
        return _reassemble(parts, len(texts))

    def close(self) -> None:
        """Stop the local Ray instance if this encoder started it; a cluster joined is left running."""
        if self.started and self.ray.is_initialized():
            self.ray.shutdown()
        self.started = False

    def __enter__(self) -> RayEncoder:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _reassemble(parts: Sequence[tuple[np.ndarray, np.ndarray]], count: int) -> np.ndarray:
    """Put batches that came back in any order into one (count, dim) float32 matrix by their index column."""
    if not parts:
        raise ClusterError("the Ray cluster returned no vectors")
    indices = np.concatenate([i for i, _ in parts])
    vectors = np.concatenate([v.reshape(len(i), -1) for i, v in parts])
    # Every input exactly once: a lost or repeated batch must not pass as a shorter or shuffled index.
    if len(indices) != count or not np.array_equal(np.sort(indices), np.arange(count)):
        raise ClusterError(f"the Ray cluster returned {len(indices)} vectors for {count} texts")
    out = np.empty((count, vectors.shape[1]), dtype=np.float32)
    out[indices] = vectors
    return out


def _last_line(exc: BaseException) -> str:
    """The last non-empty line of an error: Ray's carry the whole remote traceback, the cause last."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__
