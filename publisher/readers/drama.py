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

from publisher.model import Block, ParagraphBlock

_NAME = r"(?:[A-Z][A-Z'\u2019-]*\.?\s+){0,4}[A-Z][A-Z'\u2019-]+"
# "LORD GORING.  My dear Robert", "MRS. CHEVELEY [Smiling.]  No, lady Markby".
_LEADING = re.compile(rf"^(?P<name>{_NAME})(?:\.\s+|\s+(?=\[))(?P<speech>\S.*)$", re.DOTALL)
_ALONE = re.compile(rf"^(?P<name>{_NAME})\.?$")
_DIRECTION = re.compile(r"^\[[^\[\]]*\]$|^\([^()]*\)$", re.DOTALL)
_CURTAIN = re.compile(r"^(?:CURTAIN|ACT DROPS?|END OF (?:THE )?(?:ACT|PLAY|SCENE)\b.*|SCENE)\.?$")
_NOT_NAMES = frozenset({"I", "A", "O", "THE", "AND", "BUT", "SCENE", "ACT", "CURTAIN", "END"})

# A play: at least this many speeches, by at least this many speakers who speak twice.
MIN_SPEECHES = 20
MIN_SPEAKERS = 3


def mark_speakers(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Label each speech with its speaker and each bracketed paragraph as a direction."""
    names = _speakers(blocks)
    if not names:
        return blocks
    return tuple(_mark(block, names) for block in blocks)


def _speakers(blocks: tuple[Block, ...]) -> frozenset[str]:
    counts: Counter[str] = Counter()
    for block in blocks:
        found = _split(block)
        if found is not None:
            counts[found[0]] += 1
    regular = {name for name, n in counts.items() if n >= 2}
    if sum(counts[n] for n in regular) < MIN_SPEECHES or len(regular) < MIN_SPEAKERS:
        return frozenset()
    # One who speaks once ("HAROLD.  What name, madam?") is in the cast list too.
    text = "\n".join(b.text for b in blocks if isinstance(b, ParagraphBlock))
    once = {name for name, n in counts.items() if n == 1 and text.count(name) >= 2}
    return frozenset(regular | once)


def _split(block: Block) -> tuple[str, str] | None:
    """(speaker, speech) for a paragraph that opens with a name in capitals."""
    if not isinstance(block, ParagraphBlock) or block.speaker is not None:
        return None
    first, _, rest = block.text.partition("\n")
    alone = _ALONE.match(first.strip())
    if alone is not None and rest.strip():
        name, speech = alone.group("name"), rest
    else:
        leading = _LEADING.match(block.text)
        if leading is None:
            return None
        name, speech = leading.group("name"), leading.group("speech")
    name = " ".join(name.split())
    if name in _NOT_NAMES or len(name) < 2 or not re.search(r"[A-Z]{2}", name):
        return None
    return name, speech


def _mark(block: Block, names: frozenset[str]) -> Block:
    if not isinstance(block, ParagraphBlock):
        return block
    found = _split(block)
    if found is not None and found[0] in names:
        return replace(block, text=found[1].strip(), speaker=found[0])
    text = block.text.strip()
    if _DIRECTION.match(text) or _CURTAIN.match(text):
        return replace(block, direction=True)
    return block
