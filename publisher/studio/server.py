"""A small web server for one book on 127.0.0.1: static files with byte ranges, and
(for the studio) an API behind a per-run token.

Browsers seek in an MP3 only when the server answers ``Range`` requests, which Python's
own ``http.server`` does not; so this one does. It serves only files inside its folder
(after resolving links), answers only to its own host name (a page elsewhere cannot
reach it by a name that resolves to 127.0.0.1), and each request runs in its own thread,
so two tabs can play and edit at once.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import re
import secrets
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
MAX_BODY = 64 * 1024
CHUNK = 1 << 16
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".m4b": "audio/mp4",
    ".pls": "application/pls+xml",
    ".epub": "application/epub+zip",
    ".smil": "application/smil+xml",
}
COOKIE = "publisher-studio"


@dataclass(frozen=True)
class Reply:
    """What an API call answers: JSON, or bytes of a type."""

    status: int
    body: bytes
    type: str = "application/json"

    @classmethod
    def json(cls, data: object, status: int = 200) -> Reply:
        return cls(status, json.dumps(data, ensure_ascii=False).encode())

    @classmethod
    def error(cls, status: int, message: str) -> Reply:
        return cls.json({"error": message}, status)


# An API: (method, path, JSON body or query) -> Reply.
Api = Callable[[str, str, Mapping[str, Any]], Reply]
# A page's bytes as served: the studio adds its editing to the player's pages.
Rewrite = Callable[[str, bytes], bytes]


@dataclass
class Site:
    """What the server serves: ``root``'s files, and with a token an API under /api/."""

    root: Path
    start: str  # the page "/" leads to
    api: Api | None = None
    rewrite: Rewrite | None = None
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def guarded(self) -> bool:
        return self.api is not None


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, site: Site, port: int = 0) -> None:
        self.site = site
        self.root = site.root.resolve()
        super().__init__((HOST, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line, not a traceback: a browser that drops a connection (it seeked
        elsewhere, the tab closed) is ordinary."""
        del request
        problem = sys.exc_info()[1]
        if isinstance(problem, ConnectionError):
            log.debug("%s went away", client_address)
        else:
            log.error("a request from %s failed: %r", client_address, problem)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def address(self) -> str:
        """Where a browser should go: for the studio, with the token that lets it in."""
        if self.site.guarded:
            return f"{self.origin}/?token={self.site.token}"
        return f"{self.origin}/"

    def start(self) -> threading.Thread:
        """Serve on a thread of its own (tests, and the studio's rebuilds alongside)."""
        # A short poll: shutdown() waits for it, and tests start and stop many servers.
        thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_POST(self) -> None:
        site = self.server.site
        url = urlsplit(self.path)
        if not self._allowed(write=True):
            return
        if site.api is None or not url.path.startswith("/api/"):
            self._fail(HTTPStatus.METHOD_NOT_ALLOWED, "only reading here")
            return
        given = self.headers.get("Content-Length") or "0"
        length = int(given) if given.isdigit() else -1
        if not 0 <= length <= MAX_BODY:
            self._fail(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too large")
            return
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self._fail(HTTPStatus.BAD_REQUEST, "the body is not JSON")
            return
        if not isinstance(body, dict):
            self._fail(HTTPStatus.BAD_REQUEST, "the body is not a JSON object")
            return
        self._reply(site.api("POST", url.path, body))

    # --- reading ---

    def _serve(self, *, body: bool) -> None:
        site = self.server.site
        url = urlsplit(self.path)
        if site.guarded and url.path == "/" and "token" in parse_qs(url.query):
            if self._own_host():
                self._enter(parse_qs(url.query)["token"][0])
            return
        if not self._allowed(write=False):
            return
        if url.path == "/":
            self._redirect(site.start)
            return
        if url.path == "/favicon.ico":  # asked for by every browser; the book has none
            self._reply(Reply(HTTPStatus.NO_CONTENT, b"", "image/x-icon"), body=False)
            return
        if site.api is not None and url.path.startswith("/api/"):
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            self._reply(site.api("GET", url.path, query), body=body)
            return
        path = self._file(url.path)
        if path is None:
            self._fail(HTTPStatus.NOT_FOUND, "not here")
            return
        if path.suffix == ".html" and site.rewrite is not None:
            data = site.rewrite(url.path, path.read_bytes())
            self._reply(Reply(200, data, _TYPES[".html"]), body=body)
            return
        self._send_file(path, body=body)

    def _file(self, url_path: str) -> Path | None:
        """The file a URL names, if it is inside the root once every link is resolved."""
        relative = unquote(url_path).lstrip("/")
        if "\0" in relative or any(part in {"..", ""} for part in relative.split("/")):
            return None
        try:
            path = (self.server.root / relative).resolve()
        except (OSError, RuntimeError):
            return None
        if not path.is_relative_to(self.server.root) or not path.is_file():
            return None
        if any(part.startswith(".") for part in path.relative_to(self.server.root).parts):
            return None  # working folders and dot files are not the book's
        return path

    def _send_file(self, path: Path, *, body: bool) -> None:
        size = path.stat().st_size
        kind = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        start, end = 0, size - 1
        status = HTTPStatus.OK
        wanted = self.headers.get("Range")
        if wanted:
            found = _RANGE.match(wanted.strip())
            if not found or not _satisfiable(found, size):
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            start, end = _bounds(found, size)
            status = HTTPStatus.PARTIAL_CONTENT
        self.send_response(status)
        self.send_header("Content-Type", kind or "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        if status == HTTPStatus.PARTIAL_CONTENT:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self._common_headers()
        self.end_headers()
        if not body:
            return
        with path.open("rb") as stream:
            stream.seek(start)
            left = end - start + 1
            while left > 0:
                chunk = stream.read(min(CHUNK, left))
                if not chunk:
                    break
                try:
                    self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the browser seeked elsewhere and dropped this request
                left -= len(chunk)

    # --- who may ask ---

    def _allowed(self, *, write: bool) -> bool:
        """Only requests to our own host name; for the studio, only with the run's token
        (a cookie, set when the browser first comes with it) and, to change anything,
        from our own page (its Origin) carrying the token in a header too."""
        server = self.server
        if not self._own_host():
            return False
        if not server.site.guarded:
            return True
        token = server.site.token
        if not secrets.compare_digest(_cookie(self.headers.get("Cookie", "")), token):
            self._fail(HTTPStatus.FORBIDDEN, "open the address `publisher studio` printed")
            return False
        if write:
            origin = self.headers.get("Origin", "")
            ours = {server.origin, f"http://localhost:{server.port}"}
            header = self.headers.get("X-Publisher-Token", "")
            if origin not in ours or not secrets.compare_digest(header, token):
                self._fail(HTTPStatus.FORBIDDEN, "only the studio's own page may change things")
                return False
        return True

    def _own_host(self) -> bool:
        port = self.server.port
        if self.headers.get("Host", "") in {f"{HOST}:{port}", f"localhost:{port}"}:
            return True
        self._fail(HTTPStatus.FORBIDDEN, "wrong host")
        return False

    def _enter(self, given: str) -> None:
        site = self.server.site
        if not secrets.compare_digest(given, site.token):
            self._fail(HTTPStatus.FORBIDDEN, "that is not this studio's address")
            return
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", site.start)
        self.send_header("Set-Cookie", f"{COOKIE}={site.token}; Path=/; HttpOnly; SameSite=Strict")
        self.send_header("Content-Length", "0")
        self._common_headers()
        self.end_headers()

    # --- answers ---

    def _redirect(self, where: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _reply(self, reply: Reply, *, body: bool = True) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.type)
        self.send_header("Content-Length", str(len(reply.body)))
        self._common_headers()
        self.end_headers()
        if body:
            self.wfile.write(reply.body)

    def _fail(self, status: HTTPStatus, message: str) -> None:
        # A refused request's body may be left unread: no further request on this
        # connection could be told from it.
        self.close_connection = True
        self._reply(Reply.error(status, message))

    def _common_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("X-Frame-Options", "DENY")


def _cookie(header: str) -> str:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return ""


def _satisfiable(found: re.Match[str], size: int) -> bool:
    first, last = found.groups()
    if not first and not last:
        return False
    if first:
        return int(first) < size and (not last or int(last) >= int(first))
    return int(last) > 0


def _bounds(found: re.Match[str], size: int) -> tuple[int, int]:
    first, last = found.groups()
    if not first:  # the last N bytes
        return max(0, size - int(last)), size - 1
    return int(first), min(size - 1, int(last)) if last else size - 1
