"""Contracts of the events care publishes."""
