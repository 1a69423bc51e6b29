"""Intake's use cases, a module per noun: load, authorise, apply the rules, save, record."""
