"""The proofing studio, used as an editor would in a real browser: the proof-listener's
flags first, a word chosen in the text, an alias heard in the word and the sentence,
kept in lexicon.pls, and a rebuild that narrates only the sentences with that word."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from publisher import BuildConfig
from publisher.errors import ConfigError
from publisher.listen import listen, write_report
from publisher.pipeline import publish
from publisher.speech.lexicon import load_lexicon
from publisher.studio import Correction, Server, Studio

from ..browser import shot, until
from ..conftest import assert_one_line_error, run, write

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("browser")]

STORY = """---
title: The Keeper of Inishcarrow
author: Ann Example
language: en
---

# Arrival

Siobhan came to the lighthouse in March. The wind was loud all night.

Nobody in the village had met Siobhan before. She carried one bag and a lamp.

# The Lamp

The lamp turned until morning. Siobhan slept in the chair beside it.
"""
# A wrong alias planted before the first build, so the proof-listener has something to
# flag; the studio's correction replaces it.
PLANTED = """<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="en">
  <!-- kept by the editor -->
  <lexeme><grapheme>Siobhan</grapheme><alias>tractor</alias></lexeme>
  <lexeme><grapheme>Inishcarrow</grapheme><alias>Inish carrow</alias></lexeme>
</lexicon>
"""
STATUS = "((document.getElementById('studio-status') || {}).textContent || '')"
# What the studio last said, as the page fetched it: its SHA-256.
DIGEST = """async () => {
  const data = await (await fetch(document.getElementById('studio-audio').src)).arrayBuffer();
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(hash, b => b.toString(16).padStart(2, '0')).join('');
}"""
# The length of what the studio last said, once the browser has read it (0 until then).
AUDITION = (
    "(a => a.readyState >= 1 && a.duration > 0 ? a.duration : 0)"
    "(document.getElementById('studio-audio'))"
)


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[tuple[Studio, Server]]:
    manuscript = write(tmp_path / "book" / "keeper.md", STORY)
    write(tmp_path / "book" / "lexicon.pls", PLANTED)
    config = BuildConfig(manuscript, tmp_path / "out", {})
    heard = listen(publish(config).folder)
    write_report(heard, tmp_path / "out" / "the-keeper-of-inishcarrow")
    session = Studio(config)
    server = Server(session.site())
    server.start()
    yield session, server
    server.shutdown()
    server.server_close()


def test_a_name_corrected_in_the_studio_is_heard_kept_and_rebuilt_alone(
    browser: Any, studio: tuple[Studio, Server], tmp_path: Path
) -> None:
    session, server = studio
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.address)
    # The proof-listener's flags come first: the sentences that said "tractor".
    until(page, "document.querySelectorAll('#studio-flagged li').length > 0")
    flagged = page.locator("#studio-flagged li a").all_text_contents()
    assert flagged and all("Siobhan" in text for text in flagged), flagged
    with page.expect_navigation():
        page.locator("#studio-flagged li a").first.click()
    until(
        page, "(document.getElementById('studio-sentence') || {}).textContent?.includes('Siobhan')"
    )
    assert page.input_value("#studio-word") == "Siobhan"  # as the text writes it
    with page.expect_navigation():
        page.click("#chapter-links >> text=Contents")
    with page.expect_navigation():
        page.click("#toc >> text=Arrival")
    until(page, "document.querySelector('.ra-unit') !== null")
    # The editor selects the name in the text.
    page.evaluate(
        """() => { const s = document.querySelector('.ra-unit[id$="-s01"]');
        const r = document.createRange(); r.setStart(s.firstChild, 0);
        r.setEnd(s.firstChild, 7);
        getSelection().removeAllRanges(); getSelection().addRange(r); }"""
    )
    until(page, "document.getElementById('studio-word').value === 'Siobhan'")
    sentence = page.text_content("#studio-sentence")
    assert sentence.startswith("Siobhan came")
    page.click("#studio-hear")  # as it stands: from the cache, with the planted alias
    until(page, f"{STATUS}.startsWith('From the cache')")
    assert "tractor came" in page.text_content("#studio-status")
    before = until(page, AUDITION) and page.evaluate(DIGEST)
    page.fill("#studio-say", "Shiv awn")
    page.click("#studio-hear-word")
    until(page, "document.getElementById('studio-phonemes').textContent.length > 0")
    assert "\u0283" in page.text_content("#studio-phonemes")  # eSpeak's "sh" of the alias
    # In IPA instead: the word said from the phonemes given, and they are shown.
    page.check("#studio-kind-ipa")
    page.fill("#studio-say", "\u0283\u026a\u02c8v\u0254\u02d0n")
    page.click("#studio-hear-word")
    until(page, "document.getElementById('studio-phonemes').textContent.includes('\u0254\u02d0')")
    assert until(page, AUDITION) > 0.2
    page.check("#studio-kind-alias")
    page.fill("#studio-say", "Shiv awn")
    page.click("#studio-hear")
    until(page, f"{STATUS}.startsWith('Narrated anew')", timeout=30)
    assert "Shiv awn came" in page.text_content("#studio-status")
    after = until(page, AUDITION) and page.evaluate(DIGEST)
    assert after != before  # "Shiv awn" said, not "tractor"
    shot(page, "studio-after-hearing")
    page.click("#studio-keep")
    until(page, f"{STATUS}.startsWith('Kept')")
    assert "3 sentences" in page.text_content("#studio-status")
    lexicon = tmp_path / "book" / "lexicon.pls"
    entries = {e.graphemes: e.alias for e in load_lexicon(lexicon).entries}
    assert entries == {("Inishcarrow",): "Inish carrow", ("Siobhan",): "Shiv awn"}
    assert "kept by the editor" in lexicon.read_text(encoding="utf-8")
    # A second tab, at once: both hear a sentence.
    other = context.new_page()
    other.goto(f"{server.origin}/web/index.html")
    with other.expect_navigation():
        other.click("#toc >> text=The Lamp")
    until(other, "document.querySelector('.ra-unit') !== null")
    other.click(".ra-unit:has-text('Siobhan slept')")
    other.evaluate("document.getElementById('audio').pause()")
    other.click("#studio-hear")
    page.click("#studio-hear")
    until(other, f"/^(Narrated|From|Not)/.test({STATUS})", 30)
    # As the kept lexicon says it, though nothing was typed in this tab.
    assert other.text_content("#studio-status").startswith("Narrated anew: Shiv awn slept")
    until(page, f"{STATUS}.startsWith('From the cache')", 30)
    # The rebuild narrates the sentences with the name that were not heard yet, no others.
    page.click("#studio-rebuild")
    until(page, f"{STATUS}.startsWith('Rebuilt')", timeout=60)
    report = json.loads((session.report.folder / "report.json").read_text(encoding="utf-8"))
    # What the proof-listener found is still there for the next session.
    kept = json.loads((session.report.folder / "listen-report.json").read_text(encoding="utf-8"))
    assert kept["flagged"] and all("Siobhan" in f["said"] for f in kept["flagged"])
    assert report["cache"]["misses"] == 1, report["cache"]  # 3 with the name, 2 heard
    assert f"{report['cache']['misses']} sentences narrated" in page.text_content("#studio-status")
    context.close()
    assert not errors, errors


def test_corrections_that_could_be_markup_or_are_empty_are_refused() -> None:
    with pytest.raises(ConfigError):
        Correction.of({"word": "Siobhan", "kind": "alias", "say": "<b>shiv</b>"})
    with pytest.raises(ConfigError):
        Correction.of({"word": "...", "kind": "alias", "say": "x"})
    with pytest.raises(ConfigError):
        Correction.of({"word": "Siobhan", "kind": "sampa", "say": "S@"})
    assert Correction.of({"word": " "}) is None
    ipa = Correction.of({"word": "Aoife", "kind": "ipa", "say": "\u02c8i\u02d0 f\u0259"})
    assert ipa is not None and ipa.entry is not None
    assert ipa.entry.ipa == "\u02c8i\u02d0f\u0259"


def test_the_studio_writes_no_lexicon_outside_the_manuscript_s_folder(tmp_path: Path) -> None:
    manuscript = write(tmp_path / "book" / "a.md", "# One\n\nA line.\n")
    elsewhere = write(tmp_path / "elsewhere" / "words.pls", PLANTED)
    result = run("studio", manuscript, "--lexicon", elsewhere, "--no-browser", "-o", tmp_path / "o")
    assert_one_line_error(result, "only beside the manuscript")
    assert not (tmp_path / "o").exists()


def test_the_studio_refuses_a_build_without_narration_before_building(tmp_path: Path) -> None:
    manuscript = write(tmp_path / "book" / "a.md", "# One\n\nA line.\n")
    for option in (["--no-audio"], ["--set", "outputs.web=no"], ["--set", "outputs.mp3=no"]):
        result = run("studio", manuscript, *option, "--no-browser", "-o", tmp_path / "o")
        assert_one_line_error(result, "needs a narrated build")
        assert not (tmp_path / "o").exists()
