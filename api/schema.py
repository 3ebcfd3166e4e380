"""The OpenAPI schema's conventions: every operation documents the error answers it can give, in the
one shape of api.errors (so a schema-driven client — and schemathesis — knows a 404 or a 409 is JSON)."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

ERRORS_ALWAYS = ("400", "401", "403", "404", "429")
ERRORS_WRITE = ("409", "413", "415")


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        from .serializers import ErrorSerializer

        responses = super()._get_response_bodies(direction)
        codes = ERRORS_ALWAYS + (ERRORS_WRITE if self.method in ("POST", "PUT", "PATCH") else ())
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return responses

    def get_tags(self) -> list[str]:
        return [self._tokenize_path()[0]] if self._tokenize_path() else ["api"]
