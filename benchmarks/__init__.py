"""Benchmarks: scripts that print figures, and the evaluation code they share (not shipped)."""
