"""What stands before a mailbox at a real provider, put before pymap on 127.0.0.1.

pymap offers STARTTLS but no implicit-TLS port, and its SASL layer offers PLAIN and LOGIN
only (pysasl parses XOAUTH2 but leaves the bearer token to "external verification", which no
pymap backend does). So, as a provider's front end does:

- `TlsFront` terminates TLS (port 993 style) and relays the bytes to pymap's plain port;
- `OAuth2Gateway` speaks the start of an IMAP session itself, checks an `AUTHENTICATE
  XOAUTH2` with pysasl's own server mechanism against the one token it accepts, then logs in
  to pymap with the mailbox's password and relays the rest of the session.

Both run an asyncio loop in a thread, on a free port of 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ssl
import threading

from pysasl.creds.external import ExternalVerificationRequired
from pysasl.mechanism import ChallengeResponse
from pysasl.mechanism.oauth import OAuth2Mechanism


class _Front:
    def __init__(self, backend: tuple[str, int], context: ssl.SSLContext | None = None):
        self.backend = backend
        self.context = context
        self.host = "127.0.0.1"
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.AbstractServer | None = None

    def __enter__(self) -> _Front:
        self._thread.start()
        start = asyncio.start_server(self._handle, self.host, 0, ssl=self.context)
        self._server = asyncio.run_coroutine_threadsafe(start, self._loop).result(10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc_info: object) -> None:
        async def stop() -> None:
            assert self._server is not None
            self._server.close()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError

    @staticmethod
    async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, ssl.SSLError):
            pass  # the other side went away: the session is over
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _relay(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        up_reader: asyncio.StreamReader,
        up_writer: asyncio.StreamWriter,
    ) -> None:
        await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))


class TlsFront(_Front):
    """Implicit TLS with `context`'s certificate, relayed to a plain IMAP server."""

    def __init__(self, backend: tuple[str, int], context: ssl.SSLContext):
        super().__init__(backend, context)
        self.sessions = 0  # TLS sessions relayed

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.sessions += 1
        up_reader, up_writer = await asyncio.open_connection(*self.backend)
        await self._relay(reader, writer, up_reader, up_writer)


class OAuth2Gateway(_Front):
    """Accepts `AUTHENTICATE XOAUTH2` with `token` for `user` only (no LOGIN, no PLAIN)."""

    def __init__(self, backend: tuple[str, int], user: str, password: str, token: str):
        super().__init__(backend)
        self.user, self.password, self.token = user, password, token
        self.attempts: list[tuple[str, str]] = []  # (user, token) as pysasl read them
        self.refused: list[str] = []  # other commands refused before authentication

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        caps = b"IMAP4rev1 AUTH=XOAUTH2 LITERAL+"
        writer.write(b"* OK [CAPABILITY " + caps + b"] gateway ready\r\n")
        while line := await reader.readline():
            tag, _, rest = line.rstrip(b"\r\n").partition(b" ")
            command, _, args = rest.partition(b" ")
            verb = command.upper()
            if verb == b"CAPABILITY":
                writer.write(b"* CAPABILITY " + caps + b"\r\n" + tag + b" OK done\r\n")
            elif verb == b"LOGOUT":
                writer.write(b"* BYE\r\n" + tag + b" OK bye\r\n")
                break
            elif verb == b"AUTHENTICATE" and args.upper().startswith(b"XOAUTH2"):
                initial = args[len(b"XOAUTH2") :].strip()
                if not initial:
                    writer.write(b"+ \r\n")
                    await writer.drain()
                    initial = (await reader.readline()).strip()
                if await self._check(base64.b64decode(initial)):
                    up_reader, up_writer = await asyncio.open_connection(*self.backend)
                    await up_reader.readline()  # pymap's greeting
                    up_writer.write(b"g0 LOGIN " + self._quote(self.user))
                    up_writer.write(b" " + self._quote(self.password) + b"\r\n")
                    while not (answer := await up_reader.readline()).startswith(b"g0 "):
                        pass
                    ok = answer.split(b" ")[1].upper() == b"OK"
                    writer.write(tag + (b" OK logged in\r\n" if ok else b" NO backend\r\n"))
                    await writer.drain()
                    if ok:
                        await self._relay(reader, writer, up_reader, up_writer)
                        return
                else:
                    writer.write(tag + b" NO [AUTHENTICATIONFAILED] invalid token\r\n")
            else:
                self.refused.append(verb.decode(errors="replace"))
                writer.write(tag + b" NO authenticate with XOAUTH2\r\n")
            await writer.drain()
        writer.close()

    async def _check(self, response: bytes) -> bool:
        creds, _ = OAuth2Mechanism().server_attempt([ChallengeResponse(b"", response)])
        token = ""
        try:
            creds.verify(None)  # pysasl hands the bearer token over for verification
        except ExternalVerificationRequired as exc:
            token = exc.token or ""
        self.attempts.append((creds.authzid, token))
        return creds.authzid == self.user and token == self.token

    @staticmethod
    def _quote(value: str) -> bytes:
        return b'"' + value.replace("\\", "\\\\").replace('"', '\\"').encode() + b'"'
