"""text layer of retold."""
