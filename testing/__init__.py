"""Fakes, factories and harnesses shared by tests and benchmarks."""
