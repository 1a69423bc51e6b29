"""Community rules: partners and agreements, offers, volunteers, consent, grants and matching.

Functions here build and change model objects and raise typed errors; they never touch
HTTP, SQL text or the transaction (the request's unit of work, or the event's, commits).
"""
