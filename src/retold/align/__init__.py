"""align layer of retold."""
