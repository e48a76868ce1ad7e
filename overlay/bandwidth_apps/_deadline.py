"""The network backend behind the sync clients' transport: every socket operation shortened to
what is left of the attempt's deadline (bandwidth_apps._transport.DEADLINE; the async clients
wrap each attempt in asyncio.timeout instead). Apart from _transport so that
httpcore is imported when the first client is built, not by `import bandwidth_apps`.
"""

from __future__ import annotations

import logging
import re
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

from ._transport import remaining


class _NoCredentials(logging.Filter):
    """httpcore's trace records quote what a parser refused verbatim, and a hostile server can
    make that our own Authorization value: masked before any handler sees the record."""

    _CREDENTIAL = re.compile(r"(?i)\b(basic|bearer)\s+[^\s'\")\]]+")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self._CREDENTIAL.sub(r"\1 [secure]", message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


# A logger's filters do not apply to its children's records: each of httpcore's loggers.
for _name in ("connection", "http11", "http2", "proxy", "socks"):
    logging.getLogger(f"httpcore.{_name}").addFilter(_NoCredentials())


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, remaining(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, remaining(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = remaining(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


Options = Iterable[Any] | None


class Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Options = None,
    ) -> httpcore.NetworkStream:
        timeout = remaining(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Options = None
    ) -> httpcore.NetworkStream:
        timeout = remaining(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
