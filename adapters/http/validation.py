"""422 answers that say what was wrong without echoing the input back (10 MB in, 10 MB out)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

EXCERPT = 120  # characters of the offending input kept in an error


def _utf8(text: str) -> str:
    """`text` with lone surrogates ("\\ud800", which JSON allows) spelled out: the answer must
    encode as UTF-8, or the 422 itself fails with a 500."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def excerpt(value: Any, limit: int = EXCERPT) -> Any:
    """The value itself when short, else the start of its text form followed by "…"."""
    short = _excerpt(value, limit)
    if isinstance(short, str):
        return _utf8(short)
    try:
        json.dumps(short, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return _utf8(json.dumps(short, ensure_ascii=False))
    return short


def _excerpt(value: Any, limit: int) -> Any:
    if value is None or isinstance(value, bool | int | float):
        text = json.dumps(value)
        return value if len(text) <= limit else text[:limit] + "…"
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + "…"
    try:
        text = json.dumps(jsonable_encoder(value), ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return jsonable_encoder(value) if len(text) <= limit else text[:limit] + "…"


def short_errors(errors: Any) -> list[dict[str, Any]]:
    """FastAPI's error list (loc, msg, type kept) with `input` and `ctx` values cut short."""
    out = []
    for error in errors:
        item = dict(error)
        if "input" in item:
            item["input"] = excerpt(item["input"])
        if isinstance(item.get("ctx"), dict):
            item["ctx"] = {k: excerpt(v if isinstance(v, str | int | float) else str(v))
                           for k, v in item["ctx"].items()}
        out.append(item)
    return out


async def validation_error(_: Request, exc: Exception) -> JSONResponse:
    """The app's RequestValidationError handler: same shape as FastAPI's, bounded in size."""
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": jsonable_encoder(short_errors(exc.errors()))}, 422)
