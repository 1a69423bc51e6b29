"""A permission: the roles that may do an action and the data class the action touches."""

from __future__ import annotations

from dataclasses import dataclass

from havn.auth.policy import CLEARANCE, MUNICIPAL_ROLES, DataClass, Role
from havn.auth.principal import Principal
from havn.errors import Forbidden, InvalidInput

MUNICIPAL = MUNICIPAL_ROLES


def cleared(data_class: DataClass) -> frozenset[Role]:
    """The roles cleared for a data class (DOMAIN.md), whatever else they may do."""
    return frozenset(role for role, classes in CLEARANCE.items() if data_class in classes)


@dataclass(frozen=True)
class Permission:
    """An action's rule: a caller holding one of `roles` and cleared for `data_class` may do
    it (record-level rules, a contact person's assignment or a partner's grant, come after).
    `data_class` None: the action touches no child's data (counts, settings), roles alone
    decide. The action is done in the one municipality the caller has chosen, unless it is
    `national`: then a caller belonging to no municipality (the directorate) acts nationwide.
    `act` is what a refusal says the caller may not do."""

    roles: frozenset[Role]
    data_class: DataClass | None
    act: str
    national: bool = False

    def allows(self, principal: Principal) -> bool:
        if not principal.has_any_role(self.roles):
            return False
        return self.data_class is None or principal.cleared_for(self.data_class)

    def require(self, principal: Principal) -> Principal:
        """Refuses a caller none of whose roles may do the act, or a municipality's user who
        has not chosen the municipality it acts in."""
        if not self.allows(principal):
            raise Forbidden(f"your role may not {self.act}")
        if principal.tenants or not self.national:
            require_tenant(principal)
        return principal


def require_tenant(principal: Principal) -> str:
    """The municipality this request acts in; users of several must pick one."""
    if principal.tenant is None:
        raise InvalidInput(
            "choose a municipality with the X-Havn-Tenant header", field="X-Havn-Tenant"
        )
    return principal.tenant


# Who the token says the caller is: anyone signed in with a role.
SIGNED_IN = Permission(frozenset(Role), None, "say who you are", national=True)
