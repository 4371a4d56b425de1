"""Layout parsers: each turns the text of one kind of panel document into cited records.

The registry of layouts is `indexer.reading.layouts.registry.LAYOUTS`; this package imports nothing
itself, so the meeting stage and the exchange finder can be imported on their own.
"""
