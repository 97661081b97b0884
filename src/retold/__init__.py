"""retold: find out which news stories are retold from which."""
