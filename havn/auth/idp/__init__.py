"""The dev identity provider: Keycloak's OpenID Connect endpoints for `make run` and tests.

It reads users, groups, roles, clients and protocol mappers from the same realm file
Keycloak imports and answers the way Keycloak does (login page markup included), so
that nothing downstream can tell the two apart and moving to Keycloak is configuration.
"""

from havn.auth.idp.app import ALLOWED_ENVS, create_app
from havn.auth.idp.realm import Realm
from havn.auth.idp.tokens import SIGNING_KEY_FILE, load_or_create_signing_key

__all__ = ["ALLOWED_ENVS", "SIGNING_KEY_FILE", "Realm", "create_app", "load_or_create_signing_key"]
