"""Index generations: every build is a new directory; one pointer file names the live one.

    var/index/
        CURRENT                      the live generation's name, replaced atomically
        generations/g-20261123T050701-0001/{records.sqlite, vectors.faiss, manifest.json}

A build writes and fsyncs a whole generation under a temporary name, renames it into place,
then replaces CURRENT (write a temporary file, fsync, rename, fsync the folder). A reader
that finds CURRENT naming a damaged generation (a file missing, a checksum wrong) falls back
to the newest generation that verifies, and says so in the log. Nothing is ever written
into a generation a reader may have open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import shutil
from pathlib import Path

from indexer.index.manifest import MANIFEST_FILE, IndexManifest, IndexMissingError

log = logging.getLogger("panel_search.generations")

POINTER = "CURRENT"
GENERATIONS = "generations"
KEEP = 3


class GenerationError(Exception):
    """A generation is incomplete or damaged."""


def file_checksum(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_path(path: Path) -> None:
    """Flush a file or a directory to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_staging(root: Path) -> Path:
    """A fresh, empty folder to write a generation into, invisible to readers."""
    folder = root / GENERATIONS
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".staging-{os.getpid()}-{dt.datetime.now(dt.UTC).strftime('%H%M%S%f')}"
    staging.mkdir()
    return staging


def publish(root: Path, staging: Path, keep: int = KEEP) -> Path:
    """Fsync a written generation, give it its final name, point CURRENT at it, prune old ones."""
    for path in staging.iterdir():
        fsync_path(path)
    fsync_path(staging)
    folder = root / GENERATIONS
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    final = folder / f"g-{stamp}"
    staging.rename(final)
    fsync_path(folder)
    pointer_tmp = root / f".{POINTER}.{os.getpid()}"
    pointer_tmp.write_text(final.name + "\n", encoding="utf-8")
    fsync_path(pointer_tmp)
    os.replace(pointer_tmp, root / POINTER)
    fsync_path(root)
    prune(root, keep)
    _remove_single_index(root)
    return final


def _remove_single_index(root: Path) -> None:
    """Drop an index written straight into the folder by an older version, now that generations serve."""
    for name in (MANIFEST_FILE, "vectors.faiss", "records.sqlite"):
        (root / name).unlink(missing_ok=True)


def generations(root: Path) -> list[Path]:
    """Complete generations, newest first (staging folders are not generations)."""
    folder = root / GENERATIONS
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.is_dir() and p.name.startswith("g-")), reverse=True)


def current_name(root: Path) -> str | None:
    """The generation CURRENT names, or None."""
    try:
        return (root / POINTER).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


# Generations whose checksums matched, with what their files looked like then (size, mtime, inode). A published
# generation is never written again, so while its files look the same it is not hashed again: a build resolves
# the live generation several times and the server once per pointer move, and hashing reads every byte.
_VERIFIED: dict[Path, tuple[tuple[int, int, int], ...]] = {}


def _looks(generation: Path, names: list[str]) -> tuple[tuple[int, int, int], ...]:
    """Size, modification time and inode of the manifest and each file it lists (OSError if one is missing)."""
    out = []
    for name in [MANIFEST_FILE, *names]:
        st = (generation / name).stat()
        out.append((st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def verify(generation: Path) -> IndexManifest:
    """The generation's manifest, once every file it lists is present with the right checksum.

    Hashed once per generation in a process; again only if a file has changed since (a torn or damaged file
    changes its size or modification time).
    """
    manifest = IndexManifest.read(generation)
    if not manifest.checksums:
        raise GenerationError(f"{generation.name}: the manifest lists no checksums")
    names = sorted(manifest.checksums)
    for name in names:
        if not (generation / name).exists():
            raise GenerationError(f"{generation.name}: {name} is missing")
    key = generation.resolve()
    looks = _looks(generation, names)
    if _VERIFIED.get(key) == looks:
        return manifest
    for name in names:
        if file_checksum(generation / name) != manifest.checksums[name]:
            _VERIFIED.pop(key, None)
            raise GenerationError(f"{generation.name}: {name} does not match its checksum")
    _VERIFIED[key] = looks
    return manifest


def resolve(root: Path) -> Path:
    """The folder to read: the live generation, or the newest good one if it is damaged.

    A folder holding manifest.json itself and no generations (a single index) is read as it is.
    """
    named = current_name(root)
    candidates = generations(root)
    if not candidates and (root / MANIFEST_FILE).exists():
        return root
    if named:
        candidates.sort(key=lambda p: p.name != named)  # the named one first, then newest first
    for generation in candidates:
        try:
            verify(generation)
        except (GenerationError, OSError, ValueError) as exc:
            log.warning("index generation %s is damaged (%s); trying an older one", generation.name, exc)
            continue
        except Exception as exc:
            log.warning("index generation %s is unreadable (%s); trying an older one", generation.name, exc)
            continue
        if named and generation.name != named:
            log.warning("serving index generation %s: the live one, %s, is damaged", generation.name, named)
        return generation
    raise IndexMissingError(f"no index at {root} (no complete generation); run `panel-search index`")


def prune(root: Path, keep: int = KEEP) -> None:
    """Remove all but the newest `keep` generations (never the live one) and stale staging folders."""
    live = current_name(root)
    for old in generations(root)[keep:]:
        if old.name != live:
            shutil.rmtree(old, ignore_errors=True)
    folder = root / GENERATIONS
    for staging in folder.glob(".staging-*"):
        pid = staging.name.split("-")[1]
        if not pid.isdigit() or not Path(f"/proc/{pid}").exists():
            shutil.rmtree(staging, ignore_errors=True)
