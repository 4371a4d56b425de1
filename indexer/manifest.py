"""The manifest that makes a saved index self-describing."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

FORMAT_VERSION = 8
MANIFEST_FILE = "manifest.json"
VECTORS_FILE = "vectors.faiss"
# The embedded vectors (half precision beside an approximate index), to score a small scope exactly and
# re-score approximate candidates.
EMBEDDINGS_FILE = "vectors.npy"
STORE_FILE = "records.sqlite"


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

    def check_compatible(self, model_name: str, dimension: int) -> None:
        """Refuse an index made with another format or model than the one searching it."""
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
