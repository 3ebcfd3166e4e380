"""DRF's view of the token the middleware resolved (api.middleware.TokenMiddleware)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token wx_…` (or `Bearer wx_…`): a personal or service-account token."""

    keyword = "Token"

    def authenticate(self, request):
        django_request = request._request
        if getattr(django_request, "api_token_error", False):
            raise exceptions.AuthenticationFailed(_("API 令牌无效、已吊销或其用户已停用。"))
        token = getattr(django_request, "api_token", None)
        if token is None:
            return None
        return (token.user, token)

    def authenticate_header(self, request) -> str:
        return self.keyword


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "个人或服务账号 API 令牌：`Token wx_…`（也接受 `Bearer wx_…`）",
        }
