"""`socialscope ingest` and `socialscope quarantine` (placeholder module being written)."""
