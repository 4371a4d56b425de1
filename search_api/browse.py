"""Browsing a generation as one request may see it: records, exchanges, meetings, people and documents.

Access is a condition of every query here (SQL or facet arrays), never a filter over results
built without it, so a restricted document's text, ids, counts and citations never reach a
public response.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from indexer.index.manifest import DocumentEntry
from indexer.index.store import DocumentText
from indexer.records import Record
from search_api.entry import SearchAnswer, SearchRequest, answer
from search_api.filters import UndertakingFilters
from search_api.retrieval import Searcher


class View:
    """A searcher as one request sees it: everything with the admin token, else public records only."""

    def __init__(self, searcher: Searcher, include_restricted: bool) -> None:
        self.searcher = searcher
        self.generation = searcher.generation
        self.include_restricted = include_restricted
        self.embedder = searcher.embedder
        self._parts: dict[str, list[Record]] = {}

    def answer(self, request: SearchRequest) -> SearchAnswer:
        """Search what this request may see, through the one entry point (the view decides access)."""
        return answer(self.searcher, dataclasses.replace(request, include_restricted=self.include_restricted))

    def _visible(self, condition: str, parameters: tuple[object, ...] = ()) -> list[int]:
        """Ordinals of the visible records meeting an SQL condition, in ordinal order."""
        if not self.include_restricted:
            condition = f"({condition}) AND access = 'public'"
        return self.generation.store.where(condition, parameters)

    def _shown(self, ordinals: list[int]) -> list[Record]:
        """The distinct records shown for the records at these ordinals, in the order first met."""
        shown = list(dict.fromkeys(self.generation.shown(o) for o in ordinals))
        return list(self.generation.records(shown).values())

    @property
    def count(self) -> int:
        """Records this request may see."""
        public = self.generation.facets.public
        return len(public) if self.include_restricted else int(np.count_nonzero(public))

    @property
    def built_at(self) -> str:
        """When the generation being served was built (UTC, ISO 8601)."""
        return self.generation.manifest.built_at

    def get(self, record_id: str) -> Record | None:
        """The record with this id, if this request may see it."""
        ordinal = self.generation.store.ordinal(record_id)
        if ordinal is None or not (self.include_restricted or self.generation.facets.public[ordinal]):
            return None
        return self.generation.record(ordinal)

    def moved(self, record_id: str) -> str | None:
        """The id that replaced a retired record id, when this request may see that record; else None."""
        new_id = self.generation.store.redirect(record_id)
        # A public request is never sent to a restricted record: the redirect would name it.
        return new_id if new_id is not None and self.get(new_id) is not None else None

    def shown(self, record: Record) -> Record:
        """The record a result shows for this one: its exchange, or itself."""
        ordinal = self.generation.store.ordinal(record.id)
        return record if ordinal is None else self.generation.record(self.generation.shown(ordinal))

    def parts(self, record: Record) -> list[Record]:
        """The visible records an exchange joins (question first), or [] for other kinds.

        Kept for the request: a search page reads them for its results and again for a figure's history.
        """
        if not record.part_ids:
            return []
        if record.id not in self._parts:
            marks = ",".join("?" * len(record.part_ids))
            ordinals = self._visible(f"id IN ({marks})", record.part_ids)
            found = {r.id: r for r in self.generation.records(ordinals).values()}
            self._parts[record.id] = [found[p] for p in record.part_ids if p in found]
        return self._parts[record.id]

    def supplementaries(self, record: Record) -> list[Record]:
        """The visible supplementary exchanges following an exchange's (or a question's) question."""
        question_id = record.part_ids[0] if record.kind == "exchange" and record.part_ids else record.id
        return self._shown(self._visible("parent_id = ? AND kind = 'supplementary_question'", (question_id,)))

    def meeting(self, date: str, body: str | None = None) -> list[Record]:
        """Everything visible recorded for a meeting, as results show it, in the order of the documents."""
        if body is None:
            found = self._visible("meeting_date = ?", (date,))
        else:
            found = self._visible("meeting_date = ? AND body = ?", (date, body))
        return sorted(self._shown(found), key=lambda r: (r.citation.document, r.citation.location.lines))

    def _undertaking_clause(self, filters: UndertakingFilters) -> tuple[str, tuple[object, ...]]:
        """The SQL condition for the visible undertakings that pass the filters."""
        condition, parameters = "kind = 'undertaking'", []
        for column, value in (("body", filters.body), ("meeting_date", filters.meeting), ("status", filters.status)):
            if value:
                condition += f" AND {column} = ?"
                parameters.append(value)
        if not self.include_restricted:
            condition += " AND access = 'public'"
        return condition, tuple(parameters)

    def undertakings(self, filters: UndertakingFilters, offset: int = 0, limit: int | None = None) -> list[Record]:
        """The visible undertakings that pass the filters, newest meeting first, in document order within one;
        `offset` and `limit` page them in SQL, so a page reads only its own records."""
        condition, parameters = self._undertaking_clause(filters)
        ordinals = self.generation.store.where(condition, parameters, order="meeting_date DESC, ordinal")
        page = ordinals[offset : None if limit is None else offset + limit]
        found = self.generation.records(page)
        return [found[o] for o in page]

    def undertaking_count(self, filters: UndertakingFilters) -> int:
        """How many visible undertakings pass the filters."""
        return len(self.generation.store.where(*self._undertaking_clause(filters)))

    def undertaking_meetings(self) -> list[str]:
        """The meeting dates (YYYY-MM-DD) of the visible undertakings, newest first."""
        condition, parameters = self._undertaking_clause(UndertakingFilters())
        return self.generation.store.distinct("meeting_date", condition, parameters)[::-1]

    def asked_by(self, key: str) -> list[Record]:
        """Every visible question a person asked, as exchanges where answered, newest first."""
        found = self._visible("asker_key = ? AND kind IN ('question', 'supplementary_question')", (key,))
        return sorted(
            self._shown(found),
            key=lambda r: (r.citation.meeting_date or "", r.citation.location.lines),
            reverse=True,
        )

    def people(self) -> list[tuple[str, str]]:
        """(person key, name as most often written) of everyone who asked a visible question, by surname."""
        seen = self.generation.people_seen
        if self.include_restricted not in seen:  # every search page lists them: read once per generation
            seen[self.include_restricted] = self._people()
        return list(seen[self.include_restricted])

    def _people(self) -> list[tuple[str, str]]:
        best: dict[str, tuple[int, str]] = {}
        for key, name, count in self.generation.store.people(public_only=not self.include_restricted):
            if key not in best or count > best[key][0]:
                best[key] = (count, name)
        return sorted(((k, n) for k, (_, n) in best.items()), key=lambda kv: kv[1].split()[-1])

    def bodies(self) -> list[str]:
        """The bodies of the visible records."""
        seen = self.generation.bodies_seen
        if self.include_restricted not in seen:  # every search page lists them: found once per generation
            facets = self.generation.facets
            codes = facets.body if self.include_restricted else facets.body[facets.public]
            seen[self.include_restricted] = [facets.bodies[c] for c in np.unique(codes) if c >= 0]
        return list(seen[self.include_restricted])

    @property
    def documents(self) -> list[DocumentEntry]:
        """Indexed documents this request may see."""
        return [d for d in self.generation.manifest.documents if self.include_restricted or d.access == "public"]

    def document(self, path: str) -> DocumentEntry | None:
        """The indexed document cited as `path`, if this request may see it."""
        return next((d for d in self.documents if d.path == path), None)

    def document_text(self, path: str) -> DocumentText | None:
        """The text the index read from a document this request may see, as its citations count lines."""
        if self.document(path) is None:
            return None
        return self.generation.store.document(path)

    def encoders(self) -> dict[str, object]:
        """Which encoders embed queries and passages, and how."""
        return self.searcher.embedder.describe()

    def manifest(self) -> dict[str, object]:
        """The index manifest, as much of it as this request may see."""
        data = self.generation.manifest.to_dict()
        if not self.include_restricted:
            data["documents"] = [dataclasses.asdict(d) for d in self.documents]
            data["record_count"] = self.count
            data.pop("vector_count", None)
            data.pop("corpus_hash", None)
        return data
