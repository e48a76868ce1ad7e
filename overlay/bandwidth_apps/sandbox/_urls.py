"""Absolute URLs for Location and Link headers (headers are Latin-1: percent-encode)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request


def absolute_url(request: Request, *more: str) -> str:
    """The request's URL without its query, plus more path segments, safely encoded."""
    url = request.url
    path = "/".join([url.path.rstrip("/"), *more])
    return f"{url.scheme}://{url.netloc}{quote(path, safe='/')}"
