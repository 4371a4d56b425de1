"""The manifest that makes a saved index self-describing."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

from indexer.encode.onnx_encoder import QUERY_ENCODERS_FOR

FORMAT_VERSION = 11
MANIFEST_FILE = "manifest.json"
VECTORS_FILE = "vectors.faiss"
# The embedded vectors (half precision beside an approximate index), to score a small scope exactly and
# re-score approximate candidates.
EMBEDDINGS_FILE = "vectors.npy"
STORE_FILE = "records.sqlite"
# Each record's units (indexer/encode/units.py): their vectors, FAISS index, owning record ordinals, full-text index.
UNIT_EMBEDDINGS_FILE = "units.npy"
UNIT_VECTORS_FILE = "units.faiss"
UNIT_OWNERS_FILE = "unit_owners.npy"
UNIT_LEXICAL_DIR = "lexical-units"


class IndexError_(Exception):
    """Base class for problems with a saved index."""


class IndexMissingError(IndexError_):
    """There is no index at the given place."""


class IndexMismatchError(IndexError_):
    """The index was built with another format version or another embedding model."""


@dataclass(frozen=True)
class DocumentEntry:
    """One indexed document: the path cited, its content hash, layout, record count and where it is read from.

    source: the file the document is read from when the index is rebuilt (absolute).
    access: "public" or "restricted"; kept when the document is re-indexed.
    format: the file format it was read from: "text", "pdf", "html" or "docx".
    """

    path: str
    content_hash: str
    layout: str | None
    records: int
    source: str = ""
    access: str = "public"
    format: str = "text"


@dataclass(frozen=True)
class IndexManifest:
    """What an index directory holds and how it was made.

    format_version: the layout of the files; the search side refuses other versions.
    model_name / dimension: the embedding model; a query must be embedded the same way.
    record_count: records stored.
    vector_count: passages embedded (one or more per record), the rows of the FAISS index.
    corpus_hash: hash over the documents' content hashes, to tell if the corpus changed.
    built_at: UTC time of the build, ISO 8601.
    checksums: SHA-256 of each data file, checked before a generation is served.
    ann_factory / nprobe: the FAISS index type (index-factory string) chosen for the vector count,
        and for an IVF index how many lists a query probes.
    passage_encoder: what embedded the passages ("torch", "onnx" float32 or "onnx-int8").
    query_encoders: the query encoders measured safe against those vectors; any other is refused.
    model_checksum: SHA-256 (16 hex digits) of the weights both encoders are made from ("" if unknown).
    adapted_model: the folder (relative to the index folder) of the model adapted to this archive that embedded
        the passages (`panel-search index --adapt`, indexer/index/adapt.py); "" for the stock model.
    unit_count / unit_ann_factory / unit_nprobe: the records' units (sentences searched on their own) embedded,
        and their FAISS index as for the passages; 0 and "" when the generation has none (searched by passages).
    """

    format_version: int
    model_name: str
    dimension: int
    record_count: int
    vector_count: int
    corpus_hash: str
    built_at: str
    documents: list[DocumentEntry] = field(default_factory=list)
    checksums: dict[str, str] = field(default_factory=dict)
    ann_factory: str = "IDMap,Flat"
    nprobe: int = 0
    passage_encoder: str = "torch"
    query_encoders: list[str] = field(default_factory=lambda: list(QUERY_ENCODERS_FOR["torch"]))
    model_checksum: str = ""
    adapted_model: str = ""
    unit_count: int = 0
    unit_ann_factory: str = ""
    unit_nprobe: int = 0

    def to_dict(self) -> dict[str, object]:
        """JSON form, as written to manifest.json and shown by /health."""
        return dataclasses.asdict(self)

    def write(self, directory: Path) -> None:
        """Write manifest.json into an index directory."""
        (directory / MANIFEST_FILE).write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> IndexManifest:
        """Read manifest.json from an index directory."""
        path = directory / MANIFEST_FILE
        if not path.exists():
            raise IndexMissingError(f"no index at {directory} (manifest.json not found); run `panel-search index`")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            docs = [DocumentEntry(**d) for d in data.pop("documents", [])]
            return cls(documents=docs, **data)
        except (ValueError, TypeError) as exc:
            raise IndexMismatchError(f"the manifest at {path} is unreadable: {exc}") from exc

    def check_compatible(
        self, model_name: str, dimension: int, query_encoder: str | None = None, checksum: str | None = None
    ) -> None:
        """Refuse an index made with another format, model or weights than the one searching it, or
        searched by a query encoder not measured safe against its vectors."""
        if self.format_version != FORMAT_VERSION:
            raise IndexMismatchError(
                f"index format version {self.format_version} is not supported (expected {FORMAT_VERSION}); "
                "rebuild it with `panel-search index`"
            )
        if self.model_name != model_name or self.dimension != dimension:
            raise IndexMismatchError(
                f"the index was built with model {self.model_name!r} ({self.dimension} dimensions) but the search "
                f"side loads {model_name!r} ({dimension} dimensions); rebuild the index or set the model path"
            )
        if checksum and self.model_checksum and checksum != self.model_checksum:
            raise IndexMismatchError(
                f"the index was embedded from weights {self.model_checksum} but the search side loads weights "
                f"{checksum}; rebuild the index or set the model path"
            )
        if query_encoder is not None and query_encoder not in self.query_encoders:
            raise IndexMismatchError(
                f"the index's vectors were made by {self.passage_encoder}, and queries encoded by {query_encoder} "
                f"were not measured safe against them (safe: {', '.join(self.query_encoders)}); set "
                "PANEL_SEARCH_QUERY_ENCODER or rebuild the index"
            )


def model_within(model_path: Path, index_dir: Path) -> str:
    """The model's folder relative to the index folder when it lives there (an adapted model), else ""."""
    try:
        return Path(model_path).resolve().relative_to(Path(index_dir).resolve()).as_posix()
    except ValueError:
        return ""
