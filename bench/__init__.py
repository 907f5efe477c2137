"""Benchmark scripts (not tests): each module prints its figures."""
