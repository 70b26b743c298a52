"""The web player in a real browser (Debian's Chromium through Playwright): it follows the
narration, plays from any sentence, answers the keyboard, keeps speed and place, works from
disk and from `publisher preview`, and axe-core finds nothing wrong with it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from publisher import BuildConfig, BuildReport, publish
from publisher.studio import Server, preview_site

from ..browser import axe_violations, shot, until
from ..conftest import REQUIRE_VALIDATORS, write

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("browser")]

STORY = """---
title: The Ferry Clock
author: Ann Example
language: en
---

# The Harbour

The ferry left at nine. Its horn was low and long.

Mara counted the gulls on the rail. There were seven. One of them was asleep.

Nobody spoke until the lights of the island came up out of the dark.

# The Island

The island had one road. It ran from the pier to the lighthouse and back.
"""

# Every highlighted sentence, in the order the page highlighted them.
RECORD = """() => {
  window.seen = [];
  new MutationObserver(() => {
    const now = document.querySelector('.ra-current');
    if (now && window.seen[window.seen.length - 1] !== now.id) window.seen.push(now.id);
  }).observe(document.getElementById('text'), {subtree: true, attributes: true,
    attributeFilter: ['class']});
}"""
AUDIO = "document.getElementById('audio')"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    folder = tmp_path_factory.mktemp("player")
    manuscript = write(folder / "ferry.md", STORY)
    return publish(BuildConfig(manuscript, folder / "out", {}))


@pytest.fixture(scope="module")
def served(book: BuildReport) -> Iterator[Server]:
    server = Server(preview_site(book.folder))
    server.start()
    yield server
    server.shutdown()
    server.server_close()


def first_page(book: BuildReport) -> Path:
    return book.folder / "web" / f"{Path(book.chapters[0].href).stem}.html"


def clips(book: BuildReport, number: int = 0) -> list[Any]:
    items = book.chapters[number].timeline.items
    return [(i.id, i.start_ms / 1000, i.paragraph_id) for i in items if i.end_ms > i.start_ms]


def open_page(page: Any, url: str) -> None:
    page.goto(url)
    until(page, f"{AUDIO}.readyState >= 1")
    page.evaluate(RECORD)


def test_playback_moves_the_highlight_through_every_sentence_in_order(
    page: Any, book: BuildReport
) -> None:
    open_page(page, first_page(book).as_uri())
    page.select_option("#speed", "3")
    page.click("#play")
    until(page, f"!{AUDIO}.paused")
    assert page.text_content("#play") == "Pause"
    until(page, "window.seen.length >= 4")
    shot(page, "player-mid-playback")
    until(page, f"{AUDIO}.currentTime > {AUDIO}.duration - 1.5", timeout=20)
    seen = page.evaluate("window.seen")
    assert seen == [c[0] for c in clips(book)]
    assert page.get_attribute(f"#{seen[-1]}", "aria-current") == "true"


def test_a_click_on_a_sentence_plays_from_its_clip(page: Any, book: BuildReport) -> None:
    open_page(page, first_page(book).as_uri())
    target, start, _ = clips(book)[4]
    page.click(f"#{target}")
    until(page, f"!{AUDIO}.paused")
    time = page.evaluate(f"{AUDIO}.currentTime")
    assert start - 0.05 <= time < start + 0.6
    assert page.evaluate("document.querySelector('.ra-current').id") == target


def test_the_keyboard_plays_pauses_and_moves_by_sentence_and_paragraph(
    page: Any, book: BuildReport
) -> None:
    units = clips(book)
    open_page(page, first_page(book).as_uri())
    page.focus("#text")
    page.keyboard.press("Space")
    until(page, f"!{AUDIO}.paused")
    page.keyboard.press("Space")
    until(page, f"{AUDIO}.paused")
    page.evaluate(f"{AUDIO}.currentTime = 0")
    until(page, f"{AUDIO}.currentTime === 0")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert current(page) == units[1][0]
    assert page.evaluate("document.activeElement.id") == units[1][0]
    page.keyboard.press("ArrowDown")  # to the next paragraph's first sentence
    second = next(u for u in units if u[2] not in (None, units[1][2]))
    assert current(page) == second[0]
    assert abs(page.evaluate(f"{AUDIO}.currentTime") - second[1]) < 0.01
    page.keyboard.press("ArrowLeft")
    assert current(page) == units[units.index(second) - 1][0]
    page.keyboard.press("ArrowUp")  # back to this paragraph's start
    assert current(page) == units[1][0]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    until(page, f"!{AUDIO}.paused")
    assert current(page) == units[2][0]
    # Tab reaches every control, in order; the display settings unfold with Enter.
    page.evaluate(f"{AUDIO}.pause()")
    page.focus("#play")
    order = [page.evaluate("document.activeElement.id")]
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id"))
    assert order == ["play", "previous", "next", "speed", "display"]
    page.keyboard.press("Enter")
    names = []
    for _ in range(3):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.textContent"))
    assert names == ["Large text", "High contrast", "Announce sentences"]
    page.keyboard.press("Space")
    assert page.get_attribute("#announce", "aria-pressed") == "true"
    assert page.evaluate(f"{AUDIO}.paused")  # Space pressed the button, not play


def current(page: Any) -> str:
    return str(page.evaluate("document.querySelector('.ra-current').id"))


def test_speed_and_place_are_kept_for_the_next_visit(
    page: Any, served: Server, book: BuildReport
) -> None:
    url = f"{served.origin}/web/{first_page(book).name}"
    open_page(page, url)
    page.select_option("#speed", "2")
    assert page.evaluate(f"{AUDIO}.playbackRate") == 2
    target, start, _ = clips(book)[5]
    page.click(f"#{target}")
    until(page, f"{AUDIO}.currentTime > {start + 0.3}")
    page.click("#play")
    until(page, f"{AUDIO}.paused")
    stopped = page.evaluate(f"{AUDIO}.currentTime")
    page.reload()
    until(page, f"{AUDIO}.readyState >= 1")
    until(page, f"Math.abs({AUDIO}.currentTime - {stopped}) < 0.05")
    assert page.input_value("#speed") == "2" and page.evaluate(f"{AUDIO}.playbackRate") == 2
    assert current(page) == target
    assert "Resumed at" in page.text_content("#status")
    page.goto(f"{served.origin}/web/index.html")
    link = page.locator("#resume a")
    assert link.text_content().startswith("Continue listening: The Harbour")
    link.click()
    until(page, f"{AUDIO}.readyState >= 1 && {AUDIO}.currentTime > {start}")


def test_from_preview_the_audio_seeks_where_the_reader_clicked(
    page: Any, served: Server, book: BuildReport
) -> None:
    """Over HTTP, Chromium seeks in an MP3 only with byte ranges; without them it snaps
    back to the start."""
    open_page(page, f"{served.origin}/web/{first_page(book).name}")
    target, start, _ = clips(book)[-1]
    page.click(f"#{target}")
    until(page, f"!{AUDIO}.paused && {AUDIO}.currentTime > {start + 0.2}")
    assert page.evaluate(f"{AUDIO}.currentTime") >= start


def test_the_last_sentence_of_a_chapter_leads_into_the_next(page: Any, book: BuildReport) -> None:
    open_page(page, first_page(book).as_uri())
    page.select_option("#speed", "3")
    _, start, _ = clips(book)[-1]
    page.evaluate(f"{AUDIO}.currentTime = {start}")
    page.click("#play")
    second = f"{Path(book.chapters[1].href).stem}.html"
    page.wait_for_url(f"**/{second}", timeout=15000)
    until(page, f"{AUDIO} && !{AUDIO}.paused")


def test_announcements_are_off_unless_the_reader_turns_them_on(
    page: Any, book: BuildReport
) -> None:
    open_page(page, first_page(book).as_uri())
    page.select_option("#speed", "3")
    assert page.get_attribute("#announce", "aria-pressed") == "false"
    page.click("#play")
    until(page, "window.seen.length >= 2")
    assert page.text_content("#announcer") == ""
    page.click("#display")
    page.click("#announce")
    assert page.get_attribute("#announce", "aria-pressed") == "true"
    until(page, "document.getElementById('announcer').textContent.length > 0")
    said = page.text_content("#announcer")
    assert said in [page.text_content(f"#{c[0]}") for c in clips(book)]
    assert page.get_attribute("#announcer", "aria-live") == "polite"


@pytest.mark.parametrize(
    "themes", [(), ("#large", "#contrast")], ids=["standard", "large-contrast"]
)
def test_axe_core_finds_no_violations_on_the_player(
    page: Any, book: BuildReport, themes: tuple[str, ...]
) -> None:
    from ..browser import axe_script

    if axe_script() is None:
        if REQUIRE_VALIDATORS:
            pytest.fail("axe-core is required here but missing (npm install -g axe-core)")
        pytest.skip("axe-core is not installed; .ci/run installs it")
    for url in (first_page(book).as_uri(), (book.folder / "web" / "index.html").as_uri()):
        page.goto(url)
        if themes and page.locator("#display").count():
            page.click("#display")
            for button in themes:
                page.click(button)
        if "index" not in url:
            page.click(f"#{clips(book)[2][0]}")  # a highlight on screen, for its contrast
            page.evaluate(f"{AUDIO}.pause()")
            shot(page, f"player-{'-'.join(t[1:] for t in themes) or 'standard'}")
        assert axe_violations(page) == [], url


def test_reduced_motion_and_high_contrast_are_respected(browser: Any, book: BuildReport) -> None:
    context = browser.new_context(reduced_motion="reduce", forced_colors="active")
    page = context.new_page()
    try:
        page.goto(first_page(book).as_uri())
        page.click(f"#{clips(book)[1][0]}")
        style = page.evaluate(
            "(() => { const s = getComputedStyle(document.querySelector('.ra-current'));"
            " return [s.transitionDuration, s.backgroundColor]; })()"
        )
        assert style[0] in ("0s", "")
        highlight = page.evaluate(
            "(() => { const e = document.createElement('span'); e.style.color = 'Highlight';"
            " document.body.append(e); return getComputedStyle(e).color; })()"
        )
        assert style[1] == highlight  # the system's own highlight colour
    finally:
        context.close()
