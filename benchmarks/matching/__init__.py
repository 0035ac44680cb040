"""The matching engine's labelled evaluation set, used by benchmarks/matching_eval.py."""
