"""Build an index directory: documents -> records -> embeddings -> FAISS + SQLite + manifest."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import shutil
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from indexer.encode.embed import Embedder, EmbeddingCache
from indexer.encode.onnx_encoder import QUERY_ENCODERS_FOR, model_checksum
from indexer.encode.passages import passages
from indexer.encode.units import units as record_units
from indexer.index.ann import UNIT_CODES, AnnSpec, build_ann, choose_spec, save_ann
from indexer.index.facets import shown_facets
from indexer.index.generations import file_checksum, new_staging, publish, resolve
from indexer.index.lexical import LEXICAL_DIR, write_lexical
from indexer.index.manifest import (
    EMBEDDINGS_FILE,
    FORMAT_VERSION,
    STORE_FILE,
    UNIT_EMBEDDINGS_FILE,
    UNIT_LEXICAL_DIR,
    UNIT_OWNERS_FILE,
    UNIT_VECTORS_FILE,
    VECTORS_FILE,
    DocumentEntry,
    IndexError_,
    IndexManifest,
    model_within,
)
from indexer.index.redirects import keep_ids, redirects
from indexer.index.store import MetadataStore, write_store
from indexer.index.vocabulary import Explainer, learn, write_vocabulary
from indexer.reading.assemble import assemble, result_ids
from indexer.reading.document import SourceDocument
from indexer.reading.follow_ups import link_follow_ups
from indexer.reading.guard import parse_guarded
from indexer.reading.parse import DocumentMeta, DocumentReport, load_manifest
from indexer.reading.readers import SUPPORTED_SUFFIXES, unsupported_message
from indexer.reading.undertakings import find_undertakings
from indexer.records import Access, Record

log = logging.getLogger("panel_search.build")

# Files in a corpus folder that describe the corpus rather than belong to it.
NOT_DOCUMENTS = {"readme.md", "readme.txt", "manifest.toml"}


class BuildError(Exception):
    """The index cannot be built (no documents, unwritable directory)."""


@dataclass
class BuildSummary:
    """What a build did: per-document reports, records, newly embedded texts and time taken."""

    index_dir: Path
    reports: list[DocumentReport]
    record_count: int
    embedded: int  # passages embedded by this build (not found in the cache)
    seconds: float
    manifest: IndexManifest
    skipped: list[str] = field(default_factory=list)
    generation: str | None = None
    unchanged: bool = False  # nothing changed: no new generation was written

    def to_dict(self) -> dict[str, object]:
        """JSON form for `panel-search index --json`."""
        return {
            "index_dir": str(self.index_dir),
            "documents": [r.to_dict() for r in self.reports],
            "record_count": self.record_count,
            "embedded": self.embedded,
            "seconds": round(self.seconds, 3),
            "skipped": self.skipped,
            "generation": self.generation,
            "unchanged": self.unchanged,
            "manifest": self.manifest.to_dict(),
        }


def _live_documents(index_dir: Path) -> tuple[dict[str, DocumentEntry], bool]:
    """The documents of the live generation by cited name, and whether its format is current."""
    try:
        live = IndexManifest.read(resolve(index_dir))
    except IndexError_:
        return {}, False
    return {d.path: d for d in live.documents}, live.format_version == FORMAT_VERSION


def collect_documents(paths: Sequence[Path], root: Path) -> tuple[list[tuple[Path, str]], list[str]]:
    """Files to index under `paths` as (path, name cited), and names skipped with the reason."""
    found: list[tuple[Path, str]] = []
    skipped: list[str] = []
    for path in paths:
        if not path.exists():
            raise BuildError(f"{path} does not exist")
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.name.lower() in NOT_DOCUMENTS or any(part.startswith(".") for part in file.parts[-1:]):
                continue
            name = cited_name(file, root)
            if file.suffix.lower() not in SUPPORTED_SUFFIXES:
                skipped.append(f"{name}: {unsupported_message(file.suffix)}")
                continue
            found.append((file, name))
    return found, skipped


def cited_name(path: Path, root: Path) -> str:
    """The document path cited to readers: relative to the repository root when inside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def corpus_hash(entries: Sequence[DocumentEntry]) -> str:
    """One hash over every document's name and content hash."""
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e.path):
        digest.update(f"{entry.path}\x1f{entry.content_hash}\n".encode())
    return digest.hexdigest()


def build_index(
    paths: Sequence[Path],
    index_dir: Path,
    embedder: Embedder,
    *,
    root: Path | None = None,
    cache_path: Path | None = None,
    progress: bool = False,
    remove: Sequence[str] = (),
    force: bool = False,
    meta: DocumentMeta | None = None,
    encoder: Callable[[Sequence[str]], np.ndarray] | None = None,
) -> BuildSummary:
    """Add or update the documents at `paths` in the index at `index_dir` (and drop those in `remove`).

    The index keeps the documents it already holds; a folder given is synced (its documents
    no longer on disk are dropped). Documents are known by content hash: when nothing
    changed, no new generation is written unless `force`. `meta` (body, meeting date,
    access) applies to the documents given; others keep the access they were indexed with.
    `encoder` (e.g. `indexer.encode.cluster.RayEncoder`) embeds the passages the cache lacks instead of `embedder`.
    """
    started = time.perf_counter()
    root = root or Path.cwd()
    previous, current_format = _live_documents(index_dir)
    files, given, skipped = _documents_to_index(paths, root, previous, remove)
    metas = _stated_facts(files, root, given, previous, meta)
    hashes = {name: hashlib.sha256(path.read_bytes()).hexdigest() for path, name in files}
    access = {name: metas[name].access or "public" for _, name in files}
    state = {name: (hashes[name], access[name]) for name in hashes}
    if (
        not force
        and current_format
        and previous
        and state == {n: (e.content_hash, e.access) for n, e in previous.items()}
    ):
        live = resolve(index_dir)
        manifest = IndexManifest.read(live)
        seconds = time.perf_counter() - started
        return BuildSummary(
            index_dir, [], manifest.record_count, 0, seconds, manifest, skipped, live.name, unchanged=True
        )
    parsed, reports, entries, read = _read_documents(files, metas, hashes, access, progress)
    live_records, live_redirects = _live_records(index_dir)
    found = find_undertakings(assemble(parsed), read)
    records = keep_ids(live_records, found, {*live_redirects, *live_redirects.values()})
    counts = Counter(r.citation.document for r in records)
    entries = [dataclasses.replace(e, records=counts.get(e.path, 0)) for e in entries]
    embedded = _embed(
        records, embedder, cache_path or index_dir.parent / "cache" / "embeddings.sqlite", encoder, progress
    )
    manifest = _new_manifest(embedder, index_dir, len(records), len(embedded.owners), entries)
    # Which later records may follow each undertaking up needs every record's vectors, so it is read last.
    searched = len(embedded.owners) + len(embedded.pledged)
    records = link_follow_ups(
        records, result_ids(records), [*embedded.owners, *embedded.pledged], embedded.everything[:searched]
    )
    moved = redirects(live_records, live_redirects, records)
    passages_only = embedded.everything[: len(embedded.owners)]
    units = UnitVectors(embedded.units, embedded.everything[searched:])
    generation = write_generation(index_dir, records, embedded.owners, passages_only, manifest, read, moved, units)
    return BuildSummary(
        index_dir,
        reports,
        len(records),
        embedded.count,
        time.perf_counter() - started,
        manifest,
        skipped,
        generation.name,
    )


def _documents_to_index(
    paths: Sequence[Path], root: Path, previous: Mapping[str, DocumentEntry], remove: Sequence[str]
) -> tuple[list[tuple[Path, str]], set[str], list[str]]:
    """(path, cited name) of every document the new generation holds, sorted by name; the names given; what was
    skipped. The live generation's documents stay unless removed or gone from a folder being synced."""
    files, skipped = collect_documents(paths, root)
    unknown = [name for name in remove if name not in previous]
    if unknown:
        raise BuildError(f"not in the index: {', '.join(unknown)}")
    synced = [p.resolve() for p in paths if p.is_dir()]
    given = {name for _, name in files}
    for name, entry in previous.items():
        source = Path(entry.source) if entry.source else root / name
        in_synced_folder = any(source.resolve().is_relative_to(folder) for folder in synced)
        if name in given or name in remove or in_synced_folder:
            continue
        if source.exists():
            files.append((source, name))
        else:
            skipped.append(f"{name}: its source {source} is gone; dropped from the index")
    files.sort(key=lambda f: f[1])
    if not files:
        raise BuildError("no documents to index (supported: " + ", ".join(SUPPORTED_SUFFIXES) + ")")
    return files, given, skipped


def _stated_facts(
    files: Sequence[tuple[Path, str]],
    root: Path,
    given: set[str],
    previous: Mapping[str, DocumentEntry],
    meta: DocumentMeta | None,
) -> dict[str, DocumentMeta]:
    """What is stated about each document besides its text: its folder's manifest.toml, then `meta` for the
    documents given, or the access it was indexed with for one kept from the live generation."""
    metas: dict[str, DocumentMeta] = {}
    for folder in {p.parent for p, _ in files}:
        for name, stated in load_manifest(folder).items():
            metas[cited_name(folder / name, root)] = stated
    for _, name in files:
        stated = metas.get(name, DocumentMeta())
        if name in given and meta is not None:
            stated = DocumentMeta(
                body=meta.body or stated.body,
                meeting_date=meta.meeting_date or stated.meeting_date,
                access=meta.access or stated.access,
                source=meta.source if meta.meeting_date else stated.source,
            )
        elif name not in given and name in previous:
            kept: Access = "restricted" if previous[name].access == "restricted" else "public"
            stated = dataclasses.replace(stated, access=stated.access or kept)
        metas[name] = stated
    return metas


def _read_documents(
    files: Sequence[tuple[Path, str]],
    metas: Mapping[str, DocumentMeta],
    hashes: Mapping[str, str],
    access: Mapping[str, str],
    progress: bool,
) -> tuple[list[Record], list[DocumentReport], list[DocumentEntry], list[SourceDocument]]:
    """Read and parse each document in a guarded child: (records, reports, manifest entries, documents read)."""
    parsed: list[Record] = []
    reports: list[DocumentReport] = []
    entries: list[DocumentEntry] = []
    read: list[SourceDocument] = []
    for path, name in tqdm(files, desc="parsing", unit="doc", disable=not progress):
        result = parse_guarded(path, name, metas.get(name))
        parsed.extend(result.records)
        reports.append(result.report)
        if result.report.error is None and result.document is not None:
            read.append(result.document)
            entries.append(
                DocumentEntry(
                    name,
                    hashes[name],
                    result.report.layout,
                    len(result.records),
                    str(path.resolve()),
                    access[name],
                    result.document.format,
                )
            )
    return parsed, reports, entries, read


@dataclass(frozen=True)
class _Embedded:
    """The build's vectors: each passage's (owned by the record at `owners[i]`), then each undertaking's own
    (of the records at `pledged`), then each record's `units` in order; `count` of them were embedded now, the
    rest came from the cache."""

    owners: list[int]
    pledged: list[int]
    units: list[list[str]]
    everything: np.ndarray
    count: int


@dataclass(frozen=True)
class UnitVectors:
    """Each record's units (`indexer.encode.units`, `texts[ordinal]`) and their vectors, a row a unit: a record's
    units in order, the records in ordinal order."""

    texts: Sequence[Sequence[str]]
    vectors: np.ndarray

    @property
    def owners(self) -> np.ndarray:
        """The record ordinal of each row."""
        return np.repeat(np.arange(len(self.texts), dtype=np.int32), [len(t) for t in self.texts])


def _embed(
    records: Sequence[Record],
    embedder: Embedder,
    cache_path: Path,
    encoder: Callable[[Sequence[str]], np.ndarray] | None,
    progress: bool,
) -> _Embedded:
    """Embed every record's passages, each undertaking's sentence and every record's units, reusing the cache
    by content hash."""
    texts: list[str] = []
    owners: list[int] = []
    explain = Explainer(learn(records))  # the records' own acronyms spelled out for the model
    for ordinal, record in enumerate(records):
        for passage in passages(record):
            texts.append(explain(passage))
            owners.append(ordinal)
    # An undertaking's sentence is searched in the record it is read from (a second vector would count it
    # twice); its own vector only finds what may follow it up.
    pledged = [i for i, r in enumerate(records) if r.kind == "undertaking"]
    texts += [records[i].search_text for i in pledged]
    units = [record_units(r) for r in records]
    # A unit is embedded without its record's context: matched alone, it is what the query's words paraphrase.
    texts += [explain(unit) for found in units for unit in found]
    cache = EmbeddingCache(cache_path, embedder.cache_name, embedder.dimension)
    try:
        with tqdm(total=len(texts), desc="embedding", unit="text", disable=not progress) as bar:
            everything, embedded = cache.embed(texts, embedder, progress=bar.update, encode=encoder)
    finally:
        cache.close()
    return _Embedded(owners, pledged, units, everything, embedded)


def _new_manifest(
    embedder: Embedder, index_dir: Path, record_count: int, vector_count: int, entries: list[DocumentEntry]
) -> IndexManifest:
    """The manifest of the generation being built (its checksums are added as it is written)."""
    return IndexManifest(
        format_version=FORMAT_VERSION,
        model_name=embedder.name,
        dimension=embedder.dimension,
        record_count=record_count,
        vector_count=vector_count,
        corpus_hash=corpus_hash(entries),
        built_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        documents=entries,
        passage_encoder=embedder.passage_runtime,
        query_encoders=list(QUERY_ENCODERS_FOR[embedder.passage_runtime]),
        model_checksum=model_checksum(embedder.path),
        adapted_model=model_within(embedder.path, index_dir),
    )


def write_generation(
    root: Path,
    records: Sequence[Record],
    owners: Sequence[int],
    vectors: np.ndarray,
    manifest: IndexManifest,
    documents: Sequence[SourceDocument],
    moved: Mapping[str, str] | None = None,
    units: UnitVectors | None = None,
) -> Path:
    """Write a new generation beside the live one and switch to it; readers never see it half-written.

    The vector index type follows the vector count (exact while fastest, then IVF); it is recorded
    in the manifest so the search side probes it as it was built. Given `units`, the records' units are
    written too (vectors and a full-text index of their own); without, the generation is searched by passages.
    """
    staging = new_staging(root)
    try:
        shown = result_ids(records)
        write_store(staging / STORE_FILE, records, shown, owners, documents, moved or {})
        facets = shown_facets(records, shown)
        is_shown = [r.id == s for r, s in zip(records, shown, strict=True)]
        write_lexical(staging / LEXICAL_DIR, records, facets, is_shown)
        spec = _write_vectors(staging, VECTORS_FILE, EMBEDDINGS_FILE, vectors, owners, manifest.dimension)
        files = [STORE_FILE, VECTORS_FILE, EMBEDDINGS_FILE, *write_vocabulary(staging, records)]
        folders = [LEXICAL_DIR]
        unit_spec = AnnSpec("")
        unit_owners = units.owners if units is not None else np.empty(0, dtype=np.int32)
        if units is not None:
            write_lexical(staging / UNIT_LEXICAL_DIR, records, facets, is_shown, units.texts)
            # Beside an approximate index a unit is scored by its codes alone: units are several per record, and
            # their vectors kept too would more than double the memory a generation holds.
            unit_spec = _write_vectors(
                staging,
                UNIT_VECTORS_FILE,
                UNIT_EMBEDDINGS_FILE,
                units.vectors,
                unit_owners,
                manifest.dimension,
                keep_approximate=False,
                codes=UNIT_CODES,
            )
            np.save(staging / UNIT_OWNERS_FILE, unit_owners)
            files += [UNIT_VECTORS_FILE, UNIT_OWNERS_FILE] + ([UNIT_EMBEDDINGS_FILE] if unit_spec.exact else [])
            folders.append(UNIT_LEXICAL_DIR)
        files += sorted(
            p.relative_to(staging).as_posix()
            for folder in folders
            for p in (staging / folder).iterdir()
            if p.is_file() and not p.name.startswith(".")
        )
        checksums = {name: file_checksum(staging / name) for name in files}
        dataclasses.replace(
            manifest,
            checksums=checksums,
            ann_factory=spec.factory,
            nprobe=spec.nprobe,
            unit_count=len(unit_owners),
            unit_ann_factory=unit_spec.factory,
            unit_nprobe=unit_spec.nprobe,
        ).write(staging)
        return publish(root, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_vectors(
    staging: Path,
    index_file: str,
    vectors_file: str,
    vectors: np.ndarray,
    owners: Sequence[int] | np.ndarray,
    dimension: int,
    keep_approximate: bool = True,
    codes: str = "SQ8",
) -> AnnSpec:
    """Write a FAISS index of the vectors (each vector's id its record's ordinal; `codes` beside an approximate
    index) and the vectors themselves (there, only if `keep_approximate`); the index type chosen."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(owners), dimension)
    spec = choose_spec(len(vectors), codes)
    # Half precision where memory matters (an approximate index, 0.77 GB at a million vectors); an exact
    # index keeps full precision, so a scope scored from these vectors ranks as the whole index does.
    if spec.exact or keep_approximate:
        np.save(staging / vectors_file, vectors if spec.exact else vectors.astype(np.float16))
    save_ann(build_ann(vectors, np.asarray(owners, dtype=np.int64), spec), staging / index_file)
    return spec


def _live_records(index_dir: Path) -> tuple[list[Record], dict[str, str]]:
    """The live generation's records and redirects, which the new one keeps ids and redirects from; none at first.

    Any generation is read, whatever its format (records keep their JSON form), so the first
    build after a change of id rule redirects every old id too. A live generation that cannot
    be read costs its ids and redirects, never the build.
    """
    try:
        live = resolve(index_dir)
    except IndexError_:
        return [], {}  # the first build: nothing to keep or redirect
    store: MetadataStore | None = None
    try:
        store = MetadataStore(live / STORE_FILE)
        return [record for _, record, _ in store.load_all()], store.redirects()
    except Exception as exc:
        log.warning(
            "cannot read the records of index generation %s (%s); old record ids get no redirects", live.name, exc
        )
        return [], {}
    finally:
        if store is not None:
            store.close()
