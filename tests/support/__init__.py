"""Helpers the tests and the benchmarks share (not part of the site or its plugins)."""
