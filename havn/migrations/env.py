"""Alembic environment of the kernel's audit schema."""

from havn.audit import metadata
from havn.db import run_migrations_online

run_migrations_online(metadata)
