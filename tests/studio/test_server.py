"""The server a book is previewed and proofed on: byte ranges, its folder and nothing
else, its own host name, and for the studio the run's token and its own page's origin."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from publisher.studio.server import COOKIE, Reply, Server, Site

from ..conftest import write

Answer = tuple[int, dict[str, str], bytes]


def ask(
    server: Server, path: str, method: str = "GET", headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
) -> Answer:  # fmt: skip
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    sent = {"Host": f"127.0.0.1:{server.port}", **(headers or {})}
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


@pytest.fixture
def book(tmp_path: Path) -> Path:
    folder = tmp_path / "book"
    write(folder / "web" / "index.html", "<!DOCTYPE html><title>t</title>")
    write(folder / "audio" / "01.mp3", bytes(range(256)) * 40)
    write(folder / ".narration" / "secret.mp3", b"working file")
    write(tmp_path / "outside.txt", "not the book's")
    (folder / "web" / "link.txt").symlink_to(tmp_path / "outside.txt")
    return folder


@pytest.fixture
def preview(book: Path) -> Iterator[Server]:
    server = Server(Site(book, "/web/index.html"))
    server.start()
    yield server
    server.shutdown()
    server.server_close()


def test_byte_ranges_are_answered_as_browsers_seek(preview: Server) -> None:
    whole = bytes(range(256)) * 40
    status, headers, data = ask(preview, "/audio/01.mp3")
    assert (status, data, headers["accept-ranges"]) == (200, whole, "bytes")
    assert headers["content-type"] == "audio/mpeg"
    status, headers, data = ask(preview, "/audio/01.mp3", headers={"Range": "bytes=1000-1099"})
    assert (status, data) == (206, whole[1000:1100])
    assert headers["content-range"] == f"bytes 1000-1099/{len(whole)}"
    status, _, data = ask(preview, "/audio/01.mp3", headers={"Range": "bytes=10200-"})
    assert (status, data) == (206, whole[10200:])
    status, _, data = ask(preview, "/audio/01.mp3", headers={"Range": "bytes=-16"})
    assert (status, data) == (206, whole[-16:])
    status, headers, _ = ask(preview, "/audio/01.mp3", headers={"Range": "bytes=99999-"})
    assert status == 416 and headers["content-range"] == f"bytes */{len(whole)}"
    status, headers, data = ask(preview, "/audio/01.mp3", "HEAD")
    assert (status, data, headers["content-length"]) == (200, b"", str(len(whole)))


@pytest.mark.parametrize(
    "path",
    [
        "/../outside.txt",
        "/web/%2e%2e/%2e%2e/outside.txt",
        "/web/..%2f..%2foutside.txt",
        "/web/link.txt",
        "/.narration/secret.mp3",
        "/web/index.html%00.mp3",
        "//etc/passwd",
        "/web/",
    ],
)
def test_nothing_outside_the_book_is_served(preview: Server, path: str) -> None:
    status, _, data = ask(preview, path)
    assert status == 404 and b"not the book" not in data and b"working" not in data


def test_only_its_own_host_name_is_answered_and_nothing_is_written(preview: Server) -> None:
    assert ask(preview, "/", headers={})[0] == 302
    assert ask(preview, "/web/index.html", headers={"Host": "attacker.example:80"})[0] == 403
    status, _, _ = ask(preview, "/web/index.html", "POST", body=b"{}")
    assert status == 405


RELEASE = threading.Event()


def _api(method: str, path: str, body: Mapping[str, Any]) -> Reply:
    if path == "/api/slow":  # a long narration in one tab
        RELEASE.wait(timeout=8)
    return Reply.json({"method": method, "path": path, "body": dict(body)})


@pytest.fixture
def guarded(book: Path) -> Iterator[Server]:
    server = Server(Site(book, "/web/index.html", _api))
    server.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_studio_lets_in_only_a_browser_that_came_with_the_token(guarded: Server) -> None:
    token = guarded.site.token
    assert ask(guarded, "/web/index.html")[0] == 403
    assert ask(guarded, "/?token=wrong")[0] == 403
    status, headers, _ = ask(guarded, f"/?token={token}")
    assert status == 303 and headers["location"] == "/web/index.html"
    cookie = headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={token};") and "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    jar = {"Cookie": f"{COOKIE}={token}"}
    assert ask(guarded, "/web/index.html", headers=jar)[0] == 200
    assert ask(guarded, "/api/book", headers=jar)[0] == 200


def test_changes_come_only_from_the_studio_s_own_page(guarded: Server) -> None:
    token = guarded.site.token
    own = {
        "Cookie": f"{COOKIE}={token}",
        "Origin": guarded.origin,
        "X-Publisher-Token": token,
        "Content-Type": "application/json",
    }
    status, _, data = ask(guarded, "/api/keep", "POST", own, b'{"word": "x"}')
    assert status == 200 and b'"word": "x"' in data
    for name, value in [
        ("Origin", "http://attacker.example"),
        ("Origin", "null"),
        ("X-Publisher-Token", "guess"),
        ("Cookie", f"{COOKIE}=guess"),
    ]:
        assert ask(guarded, "/api/keep", "POST", {**own, name: value}, b"{}")[0] == 403, name
    without = {k: v for k, v in own.items() if k != "Origin"}
    assert ask(guarded, "/api/keep", "POST", without, b"{}")[0] == 403
    assert ask(guarded, "/api/keep", "POST", own, b"[1, 2]")[0] == 400
    assert ask(guarded, "/api/keep", "POST", own, b"{not json")[0] == 400
    wrong_length = {**own, "Content-Length": "-1"}
    assert ask(guarded, "/api/keep", "POST", wrong_length, b"{}")[0] == 413
    elsewhere = {"Host": "attacker.example"}
    assert ask(guarded, f"/?token={token}", headers=elsewhere)[0] == 403


def test_two_tabs_are_answered_at_once(guarded: Server) -> None:
    """One tab waits on a long answer; the other still gets its audio. Served one at a
    time, the second request would wait behind the first until its timeout."""
    jar = {"Cookie": f"{COOKIE}={guarded.site.token}"}
    RELEASE.clear()
    finished: list[int] = []
    slow = threading.Thread(
        target=lambda: finished.append(ask(guarded, "/api/slow", headers=jar)[0])
    )
    slow.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", guarded.port, timeout=4)
        connection.request("GET", "/audio/01.mp3", headers={**jar, "Range": "bytes=0-9",
                           "Host": f"127.0.0.1:{guarded.port}"})  # fmt: skip
        assert connection.getresponse().status == 206
        assert not finished  # the first is still waiting
    finally:
        RELEASE.set()
        slow.join()
    assert finished == [200]
