"""gTTS through HTTP intercepted at the requests layer: retries and backing off."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import requests
import responses

from publisher.audio.encode import encode_mp3
from publisher.speech.engines import load_engine
from publisher.speech.engines.gtts import GttsEngine

from ...conftest import DATA, assert_one_line_error, run
from ...sound import level_dbfs, samples

GTTS_URL = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"


def _mp3_payload(tmp_path: Path) -> bytes:
    """A real MP3 of real speech, as Google would send it."""
    clip = load_engine("espeak").synthesize("Hello from the intercepted network.", "en-us")
    path = tmp_path / "payload.mp3"
    encode_mp3(clip.pcm, clip.sample_rate, path, 32)
    return path.read_bytes()


def _gtts_body(mp3: bytes) -> str:
    encoded = base64.b64encode(mp3).decode("ascii")
    return ")]}'\n\n" + f'[["wrb.fr","jQ1olc","[\\"{encoded}\\"]",null,null,null,"generic"]]\n'


@responses.activate
def test_gtts_backs_off_further_each_time_it_is_rate_limited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(GttsEngine, "backoff_s", 0.5)
    monkeypatch.setattr("publisher.speech.engines.gtts.time.sleep", waits.append)
    for _ in range(2):
        responses.add(responses.POST, GTTS_URL, status=429)
    responses.add(responses.POST, GTTS_URL, body=_gtts_body(_mp3_payload(tmp_path)), status=200)
    clip = GttsEngine().synthesize("Hello.", "en")
    assert waits == [0.5, 1.0] and clip.samples > 0


@pytest.mark.slow
@responses.activate
def test_gtts_narrates_through_intercepted_http_and_retries_transient_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(GttsEngine, "backoff_s", 0.01)
    body = _gtts_body(_mp3_payload(tmp_path))
    responses.add(responses.POST, GTTS_URL, status=503)
    responses.add(responses.POST, GTTS_URL, body=body, status=200)
    result = run(
        "build", DATA / "two-chapters-markdown.md", "-o", tmp_path / "out", "--engine", "gtts"
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "two-small-chapters" / "report.json").read_text())
    assert (report["engine"], report["voice"]) == ("gtts", "en")
    sent = [call.request.body for call in responses.calls]
    assert len(sent) == 1 + 5  # one retried 503, then 2 headings and 3 sentences
    assert any("The%20second%20chapter%20is%20short." in str(b) for b in sent)
    audio = tmp_path / "out" / "two-small-chapters" / report["chapters"][0]["audio"]
    assert level_dbfs(samples(audio), 750, 1500) > -40


@responses.activate
def test_gtts_without_network_is_one_line_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(GttsEngine, "backoff_s", 0.01)
    responses.add(
        responses.POST,
        GTTS_URL,
        body=requests.exceptions.ConnectionError("Failed to establish a new connection"),
    )
    out = tmp_path / "out"
    result = run("build", DATA / "two-chapters-markdown.md", "-o", out, "--engine", "gtts")
    assert_one_line_error(result, "gTTS needs the internet", "--engine piper narrates offline")
    assert not out.exists()
