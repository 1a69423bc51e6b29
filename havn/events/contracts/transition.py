"""Contracts of the events transition publishes."""
