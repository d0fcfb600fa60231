"""`socialscope serve`: one process that owns the store, takes webhooks and answers the API."""
