"""Havn's staff web client: a server-rendered backend-for-frontend in front of the gateway."""
