"""Who is calling: the verified identity one request acts as."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from havn.auth.policy import CLEARANCE, MUNICIPAL_ROLES, DataClass, Role

SYSTEM_SUBJECT = "system"


@dataclass(frozen=True, slots=True)
class Principal:
    """A verified caller, bound to at most one tenant for this request."""

    subject: str
    username: str
    roles: frozenset[Role]
    tenants: tuple[str, ...] = ()
    org: str | None = None
    tenant: str | None = None
    # The bearer token as received: the gateway forwards it, services never mint one.
    token: str = field(default="", repr=False)

    @classmethod
    def system(cls, tenant: str) -> Principal:
        """The principal an event consumer acts as: bound to the event's tenant, no roles."""
        return cls(
            subject=SYSTEM_SUBJECT,
            username=SYSTEM_SUBJECT,
            roles=frozenset(),
            tenants=(tenant,),
            tenant=tenant,
        )

    @property
    def is_system(self) -> bool:
        return self.subject == SYSTEM_SUBJECT

    def has_role(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    def has_any_role(self, roles: Iterable[Role]) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def is_municipal(self) -> bool:
        return self.has_any_role(MUNICIPAL_ROLES)

    @property
    def primary_role(self) -> str:
        """The role written to the access log (the most privileged the caller holds)."""
        for role in Role:
            if role in self.roles:
                return role.value
        return "system" if self.is_system else "none"

    def cleared_for(self, data_class: DataClass) -> bool:
        """Whether any of the caller's roles is cleared for a data class (record checks aside)."""
        if self.is_system:
            return True
        return any(data_class in CLEARANCE[role] for role in self.roles)

    @property
    def data_classes(self) -> frozenset[DataClass]:
        if self.is_system:
            return frozenset(DataClass)
        return frozenset().union(*(CLEARANCE[role] for role in self.roles))
