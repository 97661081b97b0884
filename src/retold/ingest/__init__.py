"""ingest layer of retold."""
