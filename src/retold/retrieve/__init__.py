"""retrieve layer of retold."""
