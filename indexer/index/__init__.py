"""The saved index: records and vectors -> FAISS, Tantivy, SQLite and a manifest, in generations with redirects."""
