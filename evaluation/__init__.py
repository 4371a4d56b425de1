"""Retrieval quality and speed, measured."""
