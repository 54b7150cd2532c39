"""Analyses: pure functions over person graphs that return plain data."""
