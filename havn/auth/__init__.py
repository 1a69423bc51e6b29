"""Authentication and authorisation: tokens, principals, roles and data classes."""

from havn.auth.policy import CLEARANCE, DataClass, Role
from havn.auth.principal import Principal

__all__ = ["CLEARANCE", "DataClass", "Principal", "Role"]
