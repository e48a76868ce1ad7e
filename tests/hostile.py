"""A hostile HTTP server on loopback: it answers every connection with scripted bytes, as slowly
or as endlessly as a test likes, and counts what it sent."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from types import TracebackType

Script = Callable[[bytes], Iterator[bytes]]  # request head -> the pieces of the answer


class HostileServer:
    def __init__(self, script: Script, pause: float = 0.0) -> None:
        self.script = script
        self.pause = pause  # seconds between pieces
        self.sent = 0
        self.requests: list[bytes] = []
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                connection: socket.socket = self.request
                connection.settimeout(10)
                buffered = b""
                try:
                    while True:  # one request after another on a kept-alive connection
                        while b"\r\n\r\n" not in buffered:
                            chunk = connection.recv(65536)
                            if not chunk:
                                return
                            buffered += chunk
                        head, buffered = buffered.split(b"\r\n\r\n", 1)
                        length = 0
                        for line in head.split(b"\r\n")[1:]:
                            name, _, value = line.partition(b":")
                            if name.strip().lower() == b"content-length":
                                length = int(value)
                        while len(buffered) < length:
                            chunk = connection.recv(65536)
                            if not chunk:
                                return
                            buffered += chunk
                        buffered = buffered[length:]
                        outer.requests.append(head)
                        for piece in outer.script(head):
                            connection.sendall(piece)
                            outer.sent += len(piece)
                            if outer.pause:
                                time.sleep(outer.pause)
                except OSError:  # the client gave up: that is the point
                    return

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


def head(status: int = 200, *, length: int | None = None, **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status} X"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def token_or(answer: Script) -> Script:
    """Answer token requests with a token, everything else with `answer`."""

    def script(request: bytes) -> Iterator[bytes]:
        if b"/oauth2/token" in request.split(b"\r\n", 1)[0]:
            body = b'{"access_token": "t0ken", "token_type": "Bearer", "expires_in": 3600}'
            yield head(200, length=len(body), Content_Type="application/json") + body
        else:
            yield from answer(request)

    return script
