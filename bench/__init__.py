"""Benchmarks: each script prints its figures against a ceiling measured in the same run (README.md)."""
