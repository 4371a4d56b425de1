"""Parsing a document with limits: size, time and memory, so a hostile file fails alone.

Each document is parsed in a forked child process with a CPU-time and address-space
limit; a child that runs out of either, or crashes, gives that document an error in the
ingest report and the other documents are indexed as usual.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from multiprocessing.connection import Connection
from pathlib import Path

from indexer.reading.parse import DocumentMeta, ParsedFile, parse_file

MAX_BYTES = 50 * 1024 * 1024
TIME_LIMIT = 60.0  # seconds of wall-clock time per document
MEMORY_LIMIT = 2 * 1024**3  # bytes the parser may add to the process it was forked from


def _vm_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _child(
    conn: Connection,
    other_end: Connection,
    path: Path,
    name: str,
    meta: DocumentMeta | None,
    memory: int,
    seconds: float,
) -> None:
    # The forked child holds a copy of the reading end too; close it, or a send to a parent
    # that was killed would block for ever instead of failing.
    other_end.close()
    try:
        limit = _vm_size() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        cpu = int(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        conn.send(parse_file(path, name, meta))
    except MemoryError:
        conn.send(ParsedFile.failed(path, name, f"parsing needed more than {memory // 1024**2} MiB"))
    except BrokenPipeError:
        pass  # the parent is gone
    finally:
        conn.close()
        os._exit(0)  # skip the parent's exit handlers in the forked child


def parse_guarded(
    path: Path,
    name: str,
    meta: DocumentMeta | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    seconds: float = TIME_LIMIT,
    memory: int = MEMORY_LIMIT,
) -> ParsedFile:
    """Read and parse one file within size, time and memory limits; a breach is an error for that file."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return ParsedFile.failed(path, name, str(exc))
    if size > max_bytes:
        return ParsedFile.failed(path, name, f"the document is {size} bytes, more than the {max_bytes} allowed")
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, receiver, path, name, meta, memory, seconds), daemon=True)
    child.start()
    sender.close()
    try:
        if receiver.poll(seconds):
            try:
                result: ParsedFile = receiver.recv()
                return result
            except EOFError:
                pass
        else:
            child.kill()
            return ParsedFile.failed(path, name, f"parsing took longer than {seconds:g} s; stopped")
    finally:
        receiver.close()
        child.join(timeout=5)
    error = f"the parser stopped without a result (exit code {child.exitcode}); limits reached?"
    return ParsedFile.failed(path, name, error)
