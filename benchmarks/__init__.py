"""Benchmarks: `python benchmarks/run.py` prints one `name: value unit` line per figure."""
