"""fingerprint layer of retold."""
