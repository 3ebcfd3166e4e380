"""One JSON shape for every error the API answers (documented in docs/api.md, "Errors"):

    {"code": "invalid", "message": "提交的内容有误，请按字段修改。",
     "fields": {"lines[0].quantity": [{"code": "min_value", "message": "数量必须大于0，当前为 0。"}]},
     "detail": {...}}

`code` is machine-readable and stable (clients switch on it), `message` is Chinese for people; `fields`
(only on field errors) names each field by its path in the request; `detail` (only on some conflicts)
carries data the client needs to resolve it. Nothing the API is asked can answer a 500 with a stack
trace: an unexpected error is logged and answered in this shape too.
"""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

log = logging.getLogger(__name__)

MESSAGES = {
    "invalid": "提交的内容有误，请按字段修改。",
    "not_found": "未找到该对象，或它不在您的权限范围内。",
    "not_authenticated": "请先登录，或在 Authorization 头中提供 API 令牌（Token wx_…）。",
    "permission_denied": "您的角色无权执行此操作。",
    "method_not_allowed": "该地址不支持此请求方法。",
    "parse_error": "请求内容无法解析：请发送有效的 JSON（或 multipart/form-data）。",
    "unsupported_media_type": "不支持的请求内容类型：请使用 application/json 或 multipart/form-data。",
    "not_acceptable": "无法按所要求的格式应答：本接口只返回 JSON。",
    "throttled": "请求过于频繁，请稍后再试。",
    "too_large": "请求内容过大。",
    "server_error": "服务器内部错误，已记录；请稍后再试。",
}


class Conflict(exceptions.APIException):
    """409: the request is well formed but the state of things forbids it (docs/api.md lists the codes)."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, code: str, message: str, detail: dict | None = None):
        super().__init__(message, code)
        self.error_code = code
        self.message = message
        self.extra = detail or {}


class Unprocessable(Conflict):
    """422: a semantic rule of the request failed with a specific code (e.g. deadline_past)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY


def body(
    code: str, message: str | None = None, fields: dict | None = None, detail: dict | None = None
) -> dict:
    data = {"code": code, "message": message or MESSAGES.get(code, MESSAGES["invalid"])}
    if fields:
        data["fields"] = fields
    if detail:
        data["detail"] = detail
    return data


def _path(prefix: str, key) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    key = "__all__" if key in ("non_field_errors", "__all__", None) else str(key)
    return f"{prefix}.{key}" if prefix else key


def flatten_drf(detail, prefix: str = "", out: dict | None = None) -> dict:
    """DRF's nested ErrorDetail tree → {"a.b[0].c": [{"code", "message"}]}."""
    out = {} if out is None else out
    if isinstance(detail, dict):
        for key, value in detail.items():
            flatten_drf(value, _path(prefix, key), out)
    elif isinstance(detail, list):
        if all(isinstance(d, exceptions.ErrorDetail | str) for d in detail):
            for d in detail:
                out.setdefault(prefix or "__all__", []).append(
                    {"code": getattr(d, "code", "invalid") or "invalid", "message": str(d)}
                )
        else:
            for i, value in enumerate(detail):
                if value:
                    flatten_drf(value, _path(prefix, i), out)
    else:
        out.setdefault(prefix or "__all__", []).append(
            {"code": getattr(detail, "code", "invalid") or "invalid", "message": str(detail)}
        )
    return out


def flatten_django(exc: DjangoValidationError, prefix: str = "", rename=None) -> dict:
    """A service's ValidationError (Chinese messages, field names of the page) → the API's fields.
    `rename` maps a service field name to its path in the request (e.g. answer_17 → answers.G1-1)."""
    out: dict[str, list] = {}
    if hasattr(exc, "error_dict"):
        items = exc.error_dict.items()
    else:
        items = [("__all__", exc.error_list)]
    for field, errors in items:
        name = (rename or {}).get(field, field)
        path = _path(prefix, name) if prefix or name != "__all__" else "__all__"
        for error in errors:
            for message in error:
                out.setdefault(path, []).append({"code": error.code or "invalid", "message": str(message)})
    return out


def _drf_code(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return "not_authenticated"
    return {
        exceptions.PermissionDenied: "permission_denied",
        exceptions.NotFound: "not_found",
        exceptions.MethodNotAllowed: "method_not_allowed",
        exceptions.ParseError: "parse_error",
        exceptions.UnsupportedMediaType: "unsupported_media_type",
        exceptions.NotAcceptable: "not_acceptable",
        exceptions.Throttled: "throttled",
    }.get(type(exc), "invalid")


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every exception a view raises → the one shape above."""
    headers = {}
    if isinstance(exc, Conflict):
        return Response(body(exc.error_code, exc.message, detail=exc.extra), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, exceptions.ValidationError):
        return Response(body("invalid", fields=flatten_drf(exc.detail)), status=400)
    if isinstance(exc, DjangoValidationError):
        return Response(body("invalid", fields=flatten_django(exc)), status=400)
    if isinstance(exc, RequestDataTooBig):
        return Response(body("too_large"), status=413)
    if isinstance(exc, TooManyFieldsSent | SuspiciousOperation):
        return Response(
            body("invalid", _("请求内容不合规：%(e)s") % {"e": exc.__class__.__name__}), status=400
        )
    if isinstance(exc, exceptions.APIException):
        code = _drf_code(exc)
        message = MESSAGES.get(code)
        if isinstance(exc, exceptions.Throttled):
            if exc.wait is not None:
                headers["Retry-After"] = str(int(exc.wait))
                message = _("请求过于频繁，请在 %(s)d 秒后再试。") % {"s": int(exc.wait) + 1}
        if isinstance(exc, exceptions.PermissionDenied) and "CSRF" in str(exc.detail):
            code, message = "csrf_failed", _("CSRF 校验失败：浏览器会话提交须带 X-CSRFToken 头。")
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if isinstance(exc, exceptions.AuthenticationFailed):
            message = str(exc.detail)
        response = Response(body(code, message), status=exc.status_code, headers=headers)
        return response
    return None  # anything else is a bug: Django's 500 handler answers it (api.views.server_error for /api/)


def json_404(request, exception=None):
    return JsonResponse(body("not_found"), status=404, json_dumps_params={"ensure_ascii": False})


def json_500(request):
    return JsonResponse(body("server_error"), status=500, json_dumps_params={"ensure_ascii": False})
