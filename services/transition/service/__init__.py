"""Transition's use cases, one module per noun: load, authorise, domain, save, publish and log."""
