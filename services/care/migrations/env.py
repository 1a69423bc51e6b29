"""Alembic environment of the care schema."""

from havn.db import run_migrations_online
from services.care.models import Base

run_migrations_online(Base.metadata)
