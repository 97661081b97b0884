"""provenance layer of retold."""
