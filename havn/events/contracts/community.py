"""Contracts of the events community publishes."""
