"""Encoding: records -> the passages embedded and their vectors (local model, ONNX, query batching, Ray)."""
