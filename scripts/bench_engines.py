"""Real-time factor of each offline neural engine, side by side, on one thread.

    make bench        (after the build timings)

Each engine speaks the same sentences (the first 300 or so words of the sample manuscript,
as the narrator says them) in this process, one sentence at a time as a narration worker
does; the voice is loaded and warmed on one sentence first, and that time is shown apart.
"""

from __future__ import annotations

import time
from pathlib import Path

from publisher.readers import read_manuscript
from publisher.speech.engines import load_engine
from publisher.speech.normalize import Normalizer
from publisher.structure.chapters import build_book

ROOT = Path(__file__).resolve().parent.parent
MANUSCRIPT = ROOT / "source" / "the-last-ferry-to-inishcarrow.txt"
WORDS = 300
ENGINES = (("piper", None), ("kokoro", "jm_kumo"))


def sentences() -> list[str]:
    book = build_book(read_manuscript(MANUSCRIPT))
    say = Normalizer.for_text(book.metadata.language, "")
    chosen: list[str] = []
    for section in book.sections:
        for sentence in section.sentences:
            if sentence.role == "text":
                chosen.append(say(sentence.text))
            if sum(len(s.split()) for s in chosen) >= WORDS:
                return chosen
    return chosen


def main() -> None:
    texts = sentences()
    words = sum(len(t.split()) for t in texts)
    print(f"\nengines, one thread, {words} words in {len(texts)} sentences")
    for name, wanted in ENGINES:
        engine = load_engine(name)
        problem = engine.problem()
        if problem:
            print(f"  {name:<8} not measured: {problem}")
            continue
        voice = wanted or engine.default_voice("en") or ""
        started = time.perf_counter()
        engine.synthesize("The ferry left at noon.", voice)
        warm = time.perf_counter() - started
        started = time.perf_counter()
        audio = sum(
            (clip := engine.synthesize(text, voice)).samples / clip.sample_rate for text in texts
        )
        seconds = time.perf_counter() - started
        print(
            f"  {name:<8} {voice:<18} {audio / seconds:5.1f}x real time "
            f"({audio:.0f} s of speech in {seconds:.1f} s; load and first sentence {warm:.1f} s)"
        )


if __name__ == "__main__":
    main()
