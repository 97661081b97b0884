"""web layer of retold."""
