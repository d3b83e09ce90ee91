"""The API's one error contract. Every error answer has the same body:

    {"code": "conflict", "message": "该报告已审核。", "fields": {}}

- `code`: a stable machine-readable word (below);
- `message`: one sentence in the request language (zh-hans by default, `Accept-Language:
  en` for English);
- `fields`: `{field: [messages]}` for input that was refused field by field (else `{}`);
  nested input is named by its path: `content.title` for a field of a nested object,
  `groups.0` for the first item of a list.

| status | code                    | raised by                                                   |
|--------|-------------------------|-------------------------------------------------------------|
| 400    | invalid                 | serializer or model validation, a service's field errors    |
| 400    | refused                 | a business rule (`DomainError`) that is not a state clash   |
| 400    | parse_error             | a body that is not JSON / form data                         |
| 401    | not_authenticated       | no or a bad credential                                      |
| 403    | forbidden               | the permission is missing (recorded in the audit trail)     |
| 404    | not_found               | missing, or outside the caller's data scope (never 403)     |
| 405    | method_not_allowed      |                                                             |
| 409    | conflict                | `StateConflict`: wrong state, already done, capacity gone   |
| 415    | unsupported_media_type  |                                                             |
| 429    | throttled               | rate limits                                                 |
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kepu.core.errors import StateConflict

NON_FIELD = "non_field_errors"

_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    415: "unsupported_media_type",
    429: "throttled",
}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}}


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list | tuple):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


def _fields(detail) -> dict:
    """DRF's nested error detail as {field: [messages]} (nested fields dotted)."""
    out: dict[str, list[str]] = {}
    for field, value in detail.items():
        if isinstance(value, dict):
            for sub, messages in _fields(value).items():
                out[f"{field}.{sub}"] = messages
        else:
            out[field] = _flatten(value)
    return out


def _validation_response(fields: dict, messages: list[str], *, domain=False) -> Response:
    non_field = fields.pop(NON_FIELD, None) or fields.pop("__all__", None)
    if non_field and not fields and domain:
        # A refusal of the whole request, not of one field.
        return Response(error_body("refused", " ".join(non_field)), status=400)
    if non_field:
        fields[NON_FIELD] = non_field
    message = messages[0] if len(messages) == 1 else _("Please correct the errors below.")
    return Response(error_body("invalid", message, fields), status=400)


def exception_handler(exc, context):
    """Map every exception of a view onto the error contract above."""
    if isinstance(exc, StateConflict):
        return Response(error_body("conflict", " ".join(exc.messages)), status=409)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            fields = {f: [str(m) for m in msgs] for f, msgs in exc.message_dict.items()}
            return _validation_response(fields, [str(m) for m in exc.messages], domain=True)
        return Response(error_body("refused", " ".join(exc.messages)), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django's handler answers 500
    if response.status_code == status.HTTP_403_FORBIDDEN:
        from kepu.core.views.errors import record_denial

        record_denial(context["request"])
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {NON_FIELD: exc.detail}
        body = _validation_response(_fields(detail), _flatten(exc.detail))
        body.status_code = response.status_code
        return body
    code = _CODES.get(response.status_code, getattr(exc, "default_code", "error"))
    if isinstance(exc, exceptions.ParseError):
        code = "parse_error"
    response.data = error_body(code, " ".join(_flatten(exc.detail)))
    return response
