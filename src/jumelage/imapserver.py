"""A real IMAP server on 127.0.0.1 for the demo and the tests: pymap, in memory, one user.

pymap is pure Python (a package of the index, no binary to fetch): `pymap --port N --no-tls
dict --demo-user U --demo-password P`. It accepts logins, APPEND, SEARCH, FETCH, COPY and
MOVE, which is all `jumelage.mail_in` asks of a mailbox. Nothing is kept on disk.

Given a certificate and its key, pymap offers STARTTLS instead (it still accepts a plain LOGIN
before it; it has no implicit-TLS port: the tests put a TLS front before it for `security = "ssl"`).
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

from imapclient import IMAPClient

from jumelage.mailsink import free_port

_START = "import sys; from pymap.main import main; sys.argv[0] = 'pymap'; sys.exit(main())"


class ImapServer:
    """`with ImapServer(user, password) as server:` a server on `server.port` until exit."""

    def __init__(
        self,
        user: str = "mentorat",
        password: str = "demo",
        log: Path | None = None,
        *,
        tls: tuple[Path, Path] | None = None,
        client_context: ssl.SSLContext | None = None,
        timeout: float = 10,
    ):
        """`tls` = (certificate chain, private key): STARTTLS; `client_context` is how this
        object's own clients (deliver, messages) verify it; `timeout` (seconds) is theirs."""
        self.user = user
        self.password = password
        self.host = "127.0.0.1"
        self.port = free_port()
        self.log = log
        self.tls = tls
        self.client_context = client_context
        self.timeout = timeout
        self._proc: subprocess.Popen[bytes] | None = None
        # deliveries share one logged-in session: a login costs ten appends
        self._deliverer: IMAPClient | None = None
        self._delivering = threading.Lock()

    def __enter__(self) -> ImapServer:
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        command = [sys.executable, "-c", _START, "--host", self.host, "--port", str(self.port)]
        if self.tls:
            command += ["--cert", str(self.tls[0]), "--key", str(self.tls[1])]
        else:
            command.append("--no-tls")
        command += ["dict", "--demo-user", self.user, "--demo-password", self.password]
        self._proc = subprocess.Popen(
            command,
            stdout=out,
            stderr=out,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            if self._proc.poll() is not None:
                raise RuntimeError(f"pymap exited with {self._proc.returncode}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.__exit__(None, None, None)
                    raise RuntimeError("pymap did not start within 60 s") from None
                time.sleep(0.1)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with self._delivering:
            if self._deliverer is not None:
                with contextlib.suppress(IMAPClient.Error, OSError):
                    self._deliverer.logout()
                self._deliverer = None
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    def client(self) -> IMAPClient:
        """A logged-in client (the caller logs out)."""
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=self.timeout)
        if self.tls:
            client.starttls(self.client_context or ssl.create_default_context())
        client.login(self.user, self.password)
        return client

    def deliver(self, raw: bytes, folder: str = "INBOX") -> None:
        """Put a message in the mailbox, as a mail server delivering it would. One session
        serves every delivery (from any thread); a broken one is replaced once."""
        with self._delivering:
            for attempt in (1, 2):
                if self._deliverer is None:
                    self._deliverer = self.client()
                try:
                    self._deliverer.append(folder, raw)
                    return
                except (IMAPClient.Error, OSError):
                    with contextlib.suppress(IMAPClient.Error, OSError):
                        self._deliverer.logout()
                    self._deliverer = None
                    if attempt == 2:
                        raise

    def messages(self, folder: str) -> list[bytes]:
        """The raw messages of a folder ([] when it does not exist)."""
        client = self.client()
        try:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            uids = client.search(["ALL"])
            got = client.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
            return [got[u][b"BODY[]"] for u in sorted(got)]
        finally:
            client.logout()

    def empty(self, folder: str = "INBOX") -> None:
        """Delete every message of `folder` (nothing when it does not exist)."""
        client = self.client()
        try:
            if client.folder_exists(folder):
                client.select_folder(folder)
                uids = client.search(["ALL"])
                if uids:
                    client.delete_messages(uids)
                    client.expunge()
        finally:
            client.logout()

    def clear(self) -> None:
        """Empty the mailbox: every folder but INBOX removed, INBOX emptied."""
        client = self.client()
        try:
            names = [name for _, _, name in client.list_folders() if name.upper() != "INBOX"]
            for name in sorted(names, key=len, reverse=True):  # children first
                if client.folder_exists(name):
                    client.delete_folder(name)
        finally:
            client.logout()
        self.empty("INBOX")
