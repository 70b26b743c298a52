"""Print the NeMo text-normalisation table (``make bench``): each class, and the total."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.speech.english import nemo


def main() -> int:
    if not (nemo.CASES / "score.py").exists():
        print(f"NeMo's cases are not at {nemo.CASES}: set PUBLISHER_TN")
        return 0
    for language in ("en-US", "en-GB"):
        table, _ = nemo.score(language)
        print(nemo.render(language, table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
