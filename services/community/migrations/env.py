"""Alembic environment of the community schema."""

from havn.db import run_migrations_online
from services.community.models import Base

run_migrations_online(Base.metadata)
