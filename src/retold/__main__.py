"""``python -m retold``."""

from retold.cli import main

main()
