"""Alembic environment of the transition schema."""

from havn.db import run_migrations_online
from services.transition.models import Base

run_migrations_online(Base.metadata)
