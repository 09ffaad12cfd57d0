"""A raw HTTP/1.1 client that streams a huge body and reads an early answer while it sends."""

from __future__ import annotations

import select
import socket
import time
from dataclasses import dataclass, field

import h11

MB = 1024 * 1024
CHUNK = b"A" * (256 * 1024)


@dataclass
class Answer:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    sent: int = 0  # body bytes the client got to send
    seconds: float = 0.0


def stream(port: int, path: str, total: int, *, chunked: bool,
           headers: dict[str, str] | None = None, prefix: bytes = b"", send_all: bool = False,
           timeout: float = 120) -> Answer:
    """POST `total` bytes of body to 127.0.0.1:port/path, reading the answer as it comes.

    The body is `prefix` then filler. `chunked` sends no Content-Length (the server cannot
    refuse up front). Unless `send_all`, sending stops as soon as the answer is in (a client
    that reads the 413 and gives up); with it, the client keeps sending until the body is done
    or the server hangs up (uvicorn closes a connection answered before its body was read).
    """
    started = time.monotonic()
    conn = h11.Connection(our_role=h11.CLIENT)
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.setblocking(False)
    fields = [("Host", f"127.0.0.1:{port}"),
              *({"Content-Type": "application/json", **(headers or {})}).items()]
    fields.append(("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(total)))
    pending = conn.send(h11.Request(method="POST", target=path, headers=fields))
    answer = Answer()
    body_done = False
    deadline = started + timeout
    while time.monotonic() < deadline:
        want_write = bool(pending) or (not body_done and (send_all or not answer.status))
        readable, writable, _ = select.select([sock], [sock] if want_write else [], [], 1.0)
        if readable and _receive(sock, conn, answer) and (body_done or not send_all):
            break
        if writable:
            if not pending and not body_done:
                size = min(len(CHUNK), total - answer.sent)
                if size:
                    data = (prefix + CHUNK)[:size] if answer.sent == 0 else CHUNK[:size]
                    pending = conn.send(h11.Data(data=data))
                    answer.sent += size
                else:
                    pending = conn.send(h11.EndOfMessage()) or b""
                    body_done = True
            try:
                written = sock.send(pending)
            except (BrokenPipeError, ConnectionResetError):
                body_done, pending = True, b""
                continue
            pending = pending[written:]
        if answer.status and conn.their_state is h11.DONE and (body_done or not send_all):
            break
    sock.close()
    answer.seconds = time.monotonic() - started
    return answer


def _receive(sock: socket.socket, conn: h11.Connection, answer: Answer) -> bool:
    """Feed what arrived to h11; True once the whole answer is in."""
    try:
        data = sock.recv(65536)
    except (BlockingIOError, InterruptedError):
        return False
    except ConnectionResetError:
        data = b""
    conn.receive_data(data)
    while True:
        try:
            event = conn.next_event()
        except h11.RemoteProtocolError:  # the server hung up mid-answer
            return True
        if event is h11.NEED_DATA or event is h11.PAUSED:
            return False
        if isinstance(event, h11.Response):
            answer.status = event.status_code
            answer.headers = {k.decode(): v.decode() for k, v in event.headers}
        elif isinstance(event, h11.Data):
            answer.body += bytes(event.data)
        elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
            return True
