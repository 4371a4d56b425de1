"""The sentence model run by ONNX Runtime: exported once from the local weights, int8-quantised, cached.

PyTorch spends ~12 ms on a ten-word query on two cores; the same graph in ONNX Runtime takes
~3 ms, and with its weights quantised to int8 per channel ~1.7 ms (`make bench`). The export
is made here from the packaged weights (nothing is downloaded), once per model checksum, into a
cache directory; a later start only loads it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

# How vectors can be made: PyTorch (sentence-transformers), ONNX Runtime in float32, or int8.
RUNTIMES = ("torch", "onnx", "onnx-int8")
ONNX_FILES = {"onnx": "model.onnx", "onnx-int8": "model_int8.onnx"}
# The query encoders measured safe against vectors made by each passage encoder (`make evaluate`):
# float32 ONNX gives PyTorch's vectors (cosine 1.0000); int8 queries against float32 passages keep
# MRR@10 and Recall@5 within 0.01.
QUERY_ENCODERS_FOR: dict[str, tuple[str, ...]] = {
    "torch": RUNTIMES,
    "onnx": RUNTIMES,
    "onnx-int8": ("onnx-int8",),
}
EXPORT_FILE = "export.json"
OPSET = 17


class EncoderError(Exception):
    """An ONNX encoder cannot be made or loaded for this model."""


def onnx_available() -> bool:
    """True when onnxruntime can be imported."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def model_checksum(model_path: Path) -> str:
    """SHA-256 (first 16 hex digits) of a model's weights file: what an export and an index were made from."""
    for name in ("model.safetensors", "pytorch_model.bin"):
        weights = model_path / name
        if weights.exists():
            digest = hashlib.sha256()
            with weights.open("rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
            return digest.hexdigest()[:16]
    raise EncoderError(f"no weights (model.safetensors or pytorch_model.bin) in {model_path}")


def export(model_path: Path, cache_dir: Path) -> Path:
    """The folder of ONNX files exported from a model's weights, made on first use and reused after."""
    target = cache_dir / model_checksum(model_path)
    if (target / EXPORT_FILE).exists():
        return target
    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    cache_dir.mkdir(parents=True, exist_ok=True)
    log.info("exporting %s to ONNX in %s (once)", model_path, target)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=cache_dir))
    try:
        base = AutoModel.from_pretrained(str(model_path), local_files_only=True).eval()
        example = torch.ones(1, 8, dtype=torch.long)
        names = ["input_ids", "attention_mask", "token_type_ids"]
        axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
        with torch.no_grad(), warnings.catch_warnings():
            # The tracer's notes on shapes it fixes: the mask always matches the tokens, so they hold.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _with_named_inputs(base),
                (example, example, torch.zeros_like(example)),
                str(work / ONNX_FILES["onnx"]),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=OPSET,
                dynamo=False,
            )
        # Per-channel int8 weights: per-tensor scales measured cosine 0.967 against PyTorch, per channel 0.993.
        quantize_dynamic(
            str(work / ONNX_FILES["onnx"]),
            str(work / ONNX_FILES["onnx-int8"]),
            weight_type=QuantType.QInt8,
            per_channel=True,
        )
        about = {
            "source": str(model_path),
            "checksum": model_checksum(model_path),
            "opset": OPSET,
            "int8": "dynamic, per-channel QInt8 weights (onnxruntime.quantization.quantize_dynamic)",
            "onnxruntime": onnxruntime.__version__,
            "torch": torch.__version__,
        }
        (work / EXPORT_FILE).write_text(json.dumps(about, indent=2) + "\n", encoding="utf-8")
        try:
            work.rename(target)  # atomic: a concurrent export that finished first wins
        except OSError:
            if not (target / EXPORT_FILE).exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _with_named_inputs(base: torch.nn.Module) -> torch.nn.Module:
    """The transformer called with named inputs, returning token embeddings (pooling is done in numpy)."""
    import torch

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.base = base

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            out = self.base(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    return Encoder()


class OnnxEncoder:
    """Texts to L2-normalised float32 vectors with ONNX Runtime, as sentence-transformers would make them."""

    def __init__(self, model_path: Path, runtime: str, cache_dir: Path, threads: int = 1) -> None:
        if runtime not in ONNX_FILES:
            raise EncoderError(f"unknown ONNX runtime {runtime!r}; choose one of {', '.join(ONNX_FILES)}")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        pooling = _read_json(model_path / "1_Pooling" / "config.json")
        if pooling and not pooling.get("pooling_mode_mean_tokens", False):
            raise EncoderError(f"{model_path} pools other than by the mean of its tokens; use the torch encoder")
        config = _read_json(model_path / "sentence_bert_config.json")
        self.runtime = runtime
        self.threads = threads
        self.folder = export(model_path, cache_dir)
        self.tokenizer = Tokenizer.from_file(str(model_path / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(str(config.get("max_seq_length", 256))))
        self.tokenizer.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(
            str(self.folder / ONNX_FILES[runtime]), options, providers=["CPUExecutionProvider"]
        )
        self.version = ort.__version__

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts in one call: (len(texts), dimension) float32, each row of length 1."""
        batch = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in batch], dtype=np.int64)
        mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
        types = np.zeros_like(ids)
        tokens = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return np.asarray(pooled / norms, dtype=np.float32)

    def describe(self) -> str:
        """The runtime and its settings, for the bench and /health."""
        return f"{self.runtime} (onnxruntime {self.version}, {self.threads} intra-op thread(s))"


def _read_json(path: Path) -> dict[str, object]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def default_cache_dir() -> Path:
    """Where exports are kept: PANEL_SEARCH_ENCODER_CACHE, else var/cache/encoders."""
    return Path(os.environ.get("PANEL_SEARCH_ENCODER_CACHE", "var/cache/encoders"))
