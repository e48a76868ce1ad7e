"""A minimal HTTP/1.1 server for scripts/bench: canned answers, keep-alive, no framework, in
its own process, so that a benchmark measures the client and not the server.

    python scripts/_stub.py  -> prints the port it listens on, then serves until killed
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "specs" / "examples"
VOICE = (EXAMPLES / "dashboard" / "doc-voice-create-response-corrected.xml").read_bytes()
CATAPULT_APP = b'{"id":"a-1","name":"bench","incomingCallUrl":"https://e.com/c","autoAnswer":true}'
TOKEN = b'{"access_token":"abc.def.ghi","token_type":"Bearer","expires_in":3600}'


def answer(status: str, body: bytes = b"", *headers: str) -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


ANSWERS = {
    (b"POST", b"/api/v1/oauth2/token"): answer("200 OK", TOKEN, "Content-Type: application/json"),
    (b"POST", b"/api/accounts/1/applications"): answer(
        "201 Created", VOICE, "Content-Type: application/xml"
    ),
    (b"GET", b"/api/accounts/1/applications/d775585a-ed5b-4a49-8b96-f68c0a993ebe"): answer(
        "200 OK", VOICE, "Content-Type: application/xml"
    ),
    (b"POST", b"/v1/users/u-1/applications"): answer(
        "201 Created", b"", "Location: /v1/users/u-1/applications/a-1"
    ),
    (b"GET", b"/v1/users/u-1/applications/a-1"): answer(
        "200 OK", CATAPULT_APP, "Content-Type: application/json"
    ),
}
NOT_FOUND = answer("404 Not Found")


class Stub(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            method, target, _ = head.split(b"\r\n", 1)[0].split(b" ", 2)
            self.transport.write(ANSWERS.get((method, target.split(b"?")[0]), NOT_FOUND))


async def main() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Stub, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
