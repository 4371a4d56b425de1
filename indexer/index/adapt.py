"""Adapting the dense model to an archive's own language: `panel-search index --adapt`.

all-MiniLM-L6-v2 was trained on web text; panels write "the Panel raised concern over ...", "RESOLVED to
note ...", and name things by their local schemes. The records carry their own supervision: a member's
question and the answer it got, an agenda item's title and its minutes, a report heading and its
paragraph. `adapt_index` reads those pairs from the live generation, fine-tunes the model on them with
sentence-transformers' `MultipleNegativesRankingLoss` (every other passage in a batch is a negative) on
CPU, writes the adapted model next to the index (`<index>/models/<checksum>/`), and rebuilds the index
with it: the manifest records the folder (`adapted_model`) and the weights' checksum, so the search side
encodes queries with the same model (`embedder_for_index`) and refuses any other (`check_compatible`).

Memorising is guarded against by measurement: `holdout` keeps a share of the agenda items (whole items,
by a hash of document and title) out of training, and `evaluation/blind_queries.py --adapt` judges the model on
queries about those items apart from the rest. The training is a plain PyTorch loop (no `datasets` or
`accelerate` needed).
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.encode.embed import Embedder
from indexer.encode.onnx_encoder import model_checksum
from indexer.index.generations import resolve
from indexer.index.manifest import STORE_FILE, IndexError_, IndexManifest, model_within
from indexer.index.store import MetadataStore
from indexer.reading.text import sentence_spans
from indexer.records import Record

if TYPE_CHECKING:
    from indexer.index.build import BuildSummary

log = logging.getLogger("panel_search.adapt")

MODELS_DIR = "models"
ADAPT_FILE = "adapt.json"
MIN_CHARS = 40


@dataclass(frozen=True)
class AdaptSettings:
    """How the model is fine-tuned: epochs, batch size, learning rate, longest input (tokens), at most how many
    steps (0: no limit), the share of items held out of training, and the shuffling seed."""

    epochs: int = 1  # 651 pairs of the bundled corpus: 41 steps, 3-5 minutes on two shared cores
    batch_size: int = 16
    learning_rate: float = 3e-5
    max_seq_length: int = 128
    max_steps: int = 0
    holdout: float = 0.0
    seed: int = 13


@dataclass(frozen=True)
class Pair:
    """A training pair: what someone would ask or title, the passage that answers it, its kind and its item."""

    anchor: str
    passage: str
    kind: str
    group: str


@dataclass
class AdaptReport:
    """What one adaptation did: pairs by kind, pairs trained on and held out, steps, seconds, the model folder."""

    pairs: dict[str, int]
    trained: int
    held_out: int
    steps: int
    seconds: float
    model_dir: str
    held_out_groups: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON form, written beside the model."""
        return {
            "pairs": self.pairs,
            "trained": self.trained,
            "held_out": self.held_out,
            "steps": self.steps,
            "seconds": round(self.seconds, 1),
            "model_dir": self.model_dir,
            "held_out_groups": self.held_out_groups,
        }


def group_of(record: Record) -> str:
    """The part of a document a record belongs to (its item or report heading): held out or trained on whole."""
    return f"{record.citation.document}|{(record.context or record.title or '').strip().lower()[:160]}"


def held_out(group: str, share: float) -> bool:
    """True when an item falls in the held-out share (a stable hash of the item, not chance)."""
    if share <= 0:
        return False
    value = int(hashlib.sha256(group.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return value < share


def _heading(record: Record) -> str:
    """The heading a record stands under: the sub-heading its context names after the title, else the title."""
    title = (record.title or "").strip()
    context = record.context.strip()
    if title and context.startswith(title):
        rest = context[len(title) :].lstrip(". ").strip()
        return rest if len(rest) >= 8 else title
    return title or context


def training_pairs(records: Sequence[Record]) -> list[Pair]:
    """The pairs the records state: a question -> its answer, an item's title -> its minutes, a heading -> its
    paragraph, and a paragraph's opening sentence -> the rest of it (what it goes on to say)."""
    by_id = {r.id: r for r in records}
    pairs: list[Pair] = []
    for r in records:
        if r.kind in ("answer", "supplementary_answer") and r.parent_id in by_id:
            question = by_id[r.parent_id]
            if len(question.text) >= MIN_CHARS and len(r.text) >= MIN_CHARS:
                pairs.append(Pair(question.text, r.text, "question->answer", group_of(r)))
    for r in records:
        if r.kind not in ("minute", "report_section") or len(r.text) < MIN_CHARS:
            continue
        heading = _heading(r)
        if len(heading) >= 8:
            kind = "title->minutes" if r.kind == "minute" else "heading->paragraph"
            pairs.append(Pair(heading, r.text, kind, group_of(r)))
        spans = sentence_spans(r.text)
        if len(spans) > 1:
            opening, rest = r.text[: spans[0][1]], r.text[spans[1][0] :]
            if len(opening) >= MIN_CHARS and len(rest) >= MIN_CHARS:
                pairs.append(Pair(opening, rest, "sentence->rest", group_of(r)))
    return list({(p.anchor, p.passage): p for p in pairs}.values())


def _batches(pairs: Sequence[Pair], size: int, rng: random.Random) -> list[list[Pair]]:
    """Shuffled batches in which no anchor or passage repeats (a repeat would be its own in-batch negative)."""
    order = list(pairs)
    rng.shuffle(order)
    batches: list[list[Pair]] = []
    open_batches: list[tuple[list[Pair], set[str]]] = []
    for pair in order:
        for batch, seen in open_batches:
            if len(batch) < size and pair.anchor not in seen and pair.passage not in seen:
                batch.append(pair)
                seen.update((pair.anchor, pair.passage))
                break
        else:
            open_batches.append(([pair], {pair.anchor, pair.passage}))
    batches = [b for b, _ in open_batches if len(b) > 1]
    rng.shuffle(batches)
    return batches


def fine_tune(
    model_path: Path,
    pairs: Sequence[Pair],
    out_root: Path,
    settings: AdaptSettings = AdaptSettings(),
    progress: Callable[[int, float], None] | None = None,
) -> tuple[Path, int]:
    """Fine-tune the model at `model_path` on the pairs with MultipleNegativesRankingLoss; returns the adapted
    model's folder (named by its weights' checksum, under `out_root`) and the steps taken."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    torch.manual_seed(settings.seed)
    rng = random.Random(settings.seed)
    model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True)
    model.max_seq_length = settings.max_seq_length
    loss = MultipleNegativesRankingLoss(model)
    plan = [_batches(pairs, settings.batch_size, rng) for _ in range(settings.epochs)]
    total = sum(len(p) for p in plan)
    if settings.max_steps:
        total = min(total, settings.max_steps)
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate)
    warmup = max(1, total // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, (total - step) / max(1, total - warmup))
    )
    model.train()
    step = 0
    for batches in plan:
        for batch in batches:
            if step >= total:
                break
            features = [model.tokenize([p.anchor for p in batch]), model.tokenize([p.passage for p in batch])]
            value = loss(features, torch.arange(len(batch)))
            value.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            optimiser.zero_grad()
            step += 1
            if progress:
                progress(step, float(value.detach()))
    model.eval()
    staging = out_root / f".training-{time.time_ns()}"
    staging.parent.mkdir(parents=True, exist_ok=True)
    model.max_seq_length = 256  # what the stock model encodes passages with
    model.save(str(staging))
    # The same pooling as the stock model, written in the form the ONNX encoder reads (newer sentence-transformers
    # save it in another): the adapted model is exported and quantised like the stock one.
    pooling = Path(model_path) / "1_Pooling" / "config.json"
    if pooling.exists() and (staging / "1_Pooling").is_dir():
        shutil.copyfile(pooling, staging / "1_Pooling" / "config.json")
    checksum = model_checksum(staging)
    # The model's name tells its vectors from the stock model's in the embedding cache and the manifest.
    name = f"{_stock_name(model_path)}-adapted-{checksum[:8]}"
    (staging / "README.md").write_text(
        f"# {name}\n\n{_stock_name(model_path)} fine-tuned by `panel-search index --adapt` on {len(pairs)} pairs "
        f"from the archive's records ({step} steps; MultipleNegativesRankingLoss).\n",
        encoding="utf-8",
    )
    target = out_root / checksum
    if target.exists():
        shutil.rmtree(staging)
    else:
        staging.rename(target)
    return target, step


def _stock_name(model_path: Path) -> str:
    from indexer.encode.embed import _model_name

    return _model_name(model_path).split("-adapted-")[0]


def live_records(index_dir: Path) -> list[Record]:
    """The records of the live generation."""
    store = MetadataStore(resolve(index_dir) / STORE_FILE)
    try:
        return [record for _, record, _ in store.load_all()]
    finally:
        store.close()


def adapt_index(
    paths: Sequence[Path],
    index_dir: Path,
    embedder: Embedder,
    *,
    root: Path | None = None,
    settings: AdaptSettings = AdaptSettings(),
    progress: bool = False,
    **build: Any,  # build_index's own keyword arguments (cache_path, encoder, …), passed on as given
) -> tuple[Embedder, AdaptReport, BuildSummary]:
    """Fine-tune the model on the live generation's pairs and rebuild the index with it (a new generation).

    Returns the embedder of the adapted model (the one the index must be searched with), what the training did
    (its seconds: the fine-tuning alone) and the rebuild's summary.
    """
    from indexer.index.build import build_index

    started = time.perf_counter()
    pairs = training_pairs(live_records(index_dir))
    train = [p for p in pairs if not held_out(p.group, settings.holdout)]
    kinds: dict[str, int] = {}
    for p in pairs:
        kinds[p.kind] = kinds.get(p.kind, 0) + 1

    def tell(step: int, value: float) -> None:
        if progress and step % 10 == 0:
            log.info("adapting: step %d, loss %.3f", step, value)

    model_dir, steps = fine_tune(embedder.path, train, index_dir / MODELS_DIR, settings, tell)
    adapted = Embedder(model_dir, batch_size=embedder.batch_size, settings=embedder.settings)
    groups = sorted({p.group for p in pairs if held_out(p.group, settings.holdout)})
    report = AdaptReport(
        kinds, len(train), len(pairs) - len(train), steps, time.perf_counter() - started, str(model_dir), groups
    )
    (model_dir / ADAPT_FILE).write_text(json.dumps(report.to_dict(), indent=1) + "\n", encoding="utf-8")
    summary = build_index(paths, index_dir, adapted, root=root, force=True, progress=progress, **build)
    return adapted, report, summary


def adapted_model_path(index_dir: Path) -> Path | None:
    """The adapted model the live generation was embedded with, or None (the stock model, or no index)."""
    try:
        manifest = IndexManifest.read(resolve(index_dir))
    except (IndexError_, OSError):
        return None
    return index_dir / manifest.adapted_model if manifest.adapted_model else None


def embedder_for_index(index_dir: Path, embedder: Embedder) -> Embedder:
    """The embedder to search an index with: the adapted model its live generation names, else `embedder`."""
    path = adapted_model_path(index_dir)
    if path is None:
        # Rebuilt without --adapt after an adapted build: back to the stock model.
        return Embedder(settings=embedder.settings) if model_within(embedder.path, index_dir) else embedder
    if path.resolve() == embedder.path.resolve():
        return embedder
    return Embedder(path, batch_size=embedder.batch_size, settings=embedder.settings)


def describe(index_dir: Path) -> dict[str, object] | None:
    """What the live generation's adaptation did (adapt.json beside the model), or None."""
    path = adapted_model_path(index_dir)
    if path is None or not (path / ADAPT_FILE).exists():
        return None
    return dict(json.loads((path / ADAPT_FILE).read_text(encoding="utf-8")))


__all__ = [
    "AdaptReport",
    "AdaptSettings",
    "Pair",
    "adapt_index",
    "adapted_model_path",
    "embedder_for_index",
    "fine_tune",
    "held_out",
    "training_pairs",
]
