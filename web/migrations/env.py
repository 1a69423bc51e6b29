"""Alembic environment of the web schema."""

from havn.db import run_migrations_online
from web.models import metadata

run_migrations_online(metadata)
