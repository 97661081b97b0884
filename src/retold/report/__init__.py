"""report layer of retold."""
