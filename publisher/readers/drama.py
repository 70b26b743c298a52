"""Plays in plain text: who speaks each speech, and which paragraphs are stage directions.

A play sets its speakers' names in capitals, leading the speech ("LORD GORING.  My dear
Robert") or alone on the line above it ("BERNARDO." / "Who's there?"), and its stage
directions in brackets. A novel has the odd capitalised word at the start of a paragraph
too, so the file must read as a play first: several names, each speaking again and again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from publisher.headings import match_heading
from publisher.model import Block, ParagraphBlock

_NAME = r"(?:[A-Z][A-Z'\u2019-]*\.?\s+){0,4}[A-Z][A-Z'\u2019-]+"
# "LORD GORING.  My dear Robert", "MRS. CHEVELEY [Smiling.]  No, lady Markby".
_LEADING = re.compile(rf"^(?P<name>{_NAME})(?:\.\s+|\s+(?=\[))(?P<speech>\S.*)$", re.DOTALL)
_ALONE = re.compile(rf"^(?P<name>{_NAME})\.?$")
# Bracketed, or opened and never closed ("[LORD FARNCOMBE ... is seated", Pinero's way).
_DIRECTION = re.compile(r"^\[[^\[\]]*\]?$|^\([^()]*\)$", re.DOTALL)
_CURTAIN = re.compile(r"^(?:CURTAIN|ACT DROPS?|END OF (?:THE )?(?:ACT|PLAY|SCENE)\b.*|SCENE)\.?$")
# Shakespeare's stage vocabulary: a paragraph that opens so is a direction.
_CUE = re.compile(
    r"^(?:Enter|Re-enter|Exit|Exeunt|Flourish|Alarum|Alarums|Sennet|Hautboys|Thunder|"
    r"Trumpets|Drum|Music|Knocking|Retreat|Dies|Dumb-show)\b"
)
_NOT_NAMES = frozenset({"I", "A", "O", "THE", "AND", "BUT", "SCENE", "ACT", "CURTAIN", "END"})

# A play: at least this many speeches, by at least this many speakers who speak twice.
MIN_SPEECHES = 20
MIN_SPEAKERS = 3
MIN_SPEECHES_IN_A_PARAGRAPH = 3


def mark_speakers(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Label each speech with its speaker and each bracketed paragraph as a direction.

    A name alone in a paragraph ("ROPER." then, after a blank line, the speech) is the
    speaker of the paragraph after it, and is not a paragraph of its own.
    """
    speeches = tuple(b for block in blocks for b in _speeches(block))
    names = _speakers(speeches)
    if not names:
        return blocks  # not a play: its paragraphs stay as they were
    marked: list[Block] = []
    speaker: str | None = None
    for block in speeches:
        after_scene = bool(marked) and _is_bare_scene(marked[-1])
        lone = _lone_name(block)
        if lone in names and speaker is None:
            speaker = lone
            continue
        if speaker is not None and isinstance(block, ParagraphBlock) and lone is None:
            verse = block.verse or _is_verse(block.text)
            marked.append(replace(block, speaker=speaker, verse=verse))
        else:
            if speaker is not None:  # a name with no speech after it stays as written
                marked.append(ParagraphBlock(f"{speaker}."))
            marked.append(_mark(block, names, after_scene))
        speaker = None
    if speaker is not None:
        marked.append(ParagraphBlock(f"{speaker}."))
    return tuple(marked)


def _speeches(block: Block) -> list[Block]:
    """A paragraph of several speeches, one to a line with no blank line between them
    ("FIRST WITCH. When shall we three meet again" / "In thunder, ..." / "SECOND WITCH.
    When ..."), as one paragraph each. A name opening one line among many ("THE TIMES.
    says") is a newspaper's, not a speaker's."""
    if not isinstance(block, ParagraphBlock) or "\n" not in block.text:
        return [block]
    lines = block.text.split("\n")
    opens = [i for i, line in enumerate(lines) if _speech_opening(line)]
    if len(opens) < MIN_SPEECHES_IN_A_PARAGRAPH or len(opens) * 5 < len(lines) * 2:
        return [block]
    starts = sorted({0, *opens})
    return [
        replace(block, text="\n".join(lines[a:b]))
        for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)
    ]


def _speech_opening(line: str) -> bool:
    found = _LEADING.match(line.strip())
    return found is not None and _valid(found.group("name")) is not None


def _speakers(blocks: tuple[Block, ...]) -> frozenset[str]:
    counts: Counter[str] = Counter()
    for index, block in enumerate(blocks):
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        found = _split(block)
        lone = _lone_name(block)
        if found is not None:
            counts[found[0]] += 1
        elif lone is not None and isinstance(after, ParagraphBlock) and not _lone_name(after):
            counts[lone] += 1
    regular = {name for name, n in counts.items() if n >= 2}
    if sum(counts[n] for n in regular) < MIN_SPEECHES or len(regular) < MIN_SPEAKERS:
        return frozenset()
    # One who speaks once ("HAROLD.  What name, madam?") is in the cast list too.
    text = "\n".join(b.text for b in blocks if isinstance(b, ParagraphBlock))
    once = {name for name, n in counts.items() if n == 1 and text.count(name) >= 2}
    return frozenset(regular | once)


def _is_verse(speech: str) -> bool:
    """A speech in verse: every line opens with a capital, as blank verse is printed;
    prose runs on in lower case after its first line."""
    lines = [line.strip() for line in speech.split("\n") if line.strip()]
    return len(lines) >= 2 and all(_LINE_OPENS.match(line) for line in lines)


_LINE_OPENS = re.compile(r"^[\"'\u201c\u2018(\[\u2014-]*[A-Z\u00c0-\u00de]")


def _is_bare_scene(block: Block) -> bool:
    return isinstance(block, ParagraphBlock) and block.text.strip().rstrip(".") == "SCENE"


def _lone_name(block: Block) -> str | None:
    """The speaker's name when a paragraph is nothing else ("ROPER.", "MRS. UPJOHN.")."""
    if not isinstance(block, ParagraphBlock) or block.speaker is not None:
        return None
    alone = _ALONE.match(block.text.strip())
    return _valid(alone.group("name")) if alone is not None else None


def _valid(name: str) -> str | None:
    """The name, or None for what only looks like one: "MRS" is cut short ("MRS.  UPJOHN"
    in a cast list), "ACT II" is a heading."""
    name = " ".join(name.split())
    if name in _NOT_NAMES or len(name) < 2 or not re.search(r"[A-Z]{2}", name):
        return None
    if name.split()[-1].rstrip(".") in _HONORIFICS or match_heading(name) is not None:
        return None
    return name


_HONORIFICS = frozenset("MR MRS MS MISS DR ST HON REV SIR LADY LORD CAPT COL GEN".split())


def _split(block: Block) -> tuple[str, str] | None:
    """(speaker, speech) for a paragraph that opens with a name in capitals."""
    if not isinstance(block, ParagraphBlock) or block.speaker is not None:
        return None
    if _lone_name(block) is not None:
        return None  # "MRS. PELL." is a name, not "MRS" saying "PELL."
    first, _, rest = block.text.partition("\n")
    alone = _ALONE.match(first.strip())
    if alone is not None and rest.strip():
        name, speech = alone.group("name"), rest
    else:
        leading = _LEADING.match(block.text)
        if leading is None:
            return None
        name, speech = leading.group("name"), leading.group("speech")
    valid = _valid(name)
    return (valid, speech) if valid is not None else None


def _mark(block: Block, names: frozenset[str], after_scene: bool) -> Block:
    """A speech gets its speaker; a bracketed or italic paragraph, "CURTAIN", and the
    setting under a bare "SCENE" are directions."""
    if not isinstance(block, ParagraphBlock):
        return block
    found = _split(block)
    if found is not None and found[0] in names:
        speech = found[1].strip()
        return replace(block, text=speech, speaker=found[0], verse=block.verse or _is_verse(speech))
    text = block.text.strip()
    cue = _CUE.match(text) is not None
    if _DIRECTION.match(text) or _CURTAIN.match(text) or block.emphasised or after_scene or cue:
        return replace(block, direction=True)
    return block
