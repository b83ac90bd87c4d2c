"""Domain model and rules: plain Python, no Qt, no SQL."""
