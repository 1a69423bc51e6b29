"""POST /graphql: a request that is no GraphQL request at all is answered as one GraphQL error."""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException
from fastapi import Request, Response
from fastapi.responses import JSONResponse
from strawberry.fastapi import GraphQLRouter
from strawberry.types.unset import UNSET

from gateway.context import Context

# What an HTTP refusal of strawberry's (a body that is not an object, batching, a missing
# query, an unsupported content type) says in the API's codes.
_CODES = {404: "NOT_FOUND", 405: "BAD_USER_INPUT"}


class GraphQLEndpoint(GraphQLRouter[Context, None]):
    """Strawberry's router, answering a malformed request with `{"errors": [...]}` and an
    error code, as API.md promises for every error, instead of plain text or a 500."""

    def decode_json(self, data: str | bytes) -> object:
        try:
            body = json.loads(data)
        except RecursionError as error:
            raise HTTPException(400, "the request body is nested too deeply") from error
        # A list is a batch, which strawberry refuses on its own with a clear message.
        if not isinstance(body, dict | list):
            raise HTTPException(
                400, "the request body must be a JSON object: {query, variables, operationName}"
            )
        return body

    async def run(  # type: ignore[override]
        self, request: Request, context: Context = UNSET, root_value: Any = UNSET
    ) -> Response:
        try:
            response: Response = await super().run(request, context, root_value)
        except HTTPException as refusal:
            status = refusal.status_code
            code = "INTERNAL" if status >= 500 else _CODES.get(status, "BAD_USER_INPUT")
            error = {"message": refusal.reason, "extensions": {"code": code}}
            return JSONResponse({"data": None, "errors": [error]}, status)
        return response
