"""store layer of retold."""
