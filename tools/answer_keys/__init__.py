"""Author-side answer keys (values computed from the data; only hashes are published)."""
