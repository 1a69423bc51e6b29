"""Who may do what: one Permission(roles, data class) per action, read by services and gateway.

Each phase's actions live in its own module (`havn.permissions.care.HEALTH_READ`); a service
route names its permission in its signature (`Permitted`), a gateway field declares it at
schema build time, and a census test checks that every route and root field has one.
"""

# The phases' modules, after Permission: `permissions.care.HEALTH_READ` wherever it is read.
from havn.permissions import care, community, intake, platform, statistics, transition
from havn.permissions.permission import MUNICIPAL, SIGNED_IN, Permission, cleared, require_tenant

__all__ = [
    "MUNICIPAL",
    "SIGNED_IN",
    "Permission",
    "care",
    "cleared",
    "community",
    "intake",
    "platform",
    "require_tenant",
    "statistics",
    "transition",
]
