"""eval layer of retold."""
