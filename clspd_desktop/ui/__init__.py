"""Qt screens. Everything the user reads is in French."""
