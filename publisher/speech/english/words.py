"""Number words: the spoken forms every English rule is made of."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from num2words import num2words

Variant = Literal["en-GB", "en-US"]

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTH_ABBREVIATIONS = {m[:3]: m for m in MONTHS} | {"Sept": "September"}
MONTH_PATTERN = (
    r"(?P<month>(?:(?i:" + "|".join(MONTHS) + r")|(?i:" + "|".join(MONTH_ABBREVIATIONS) + r"))"
    r"(?![A-Za-z])\.?)"
)


@dataclass(frozen=True)
class Rules:
    variant: Variant

    @property
    def british(self) -> bool:
        return self.variant == "en-GB"


# --- number words ---------------------------------------------------------------------


def cardinal(value: int, rules: Rules) -> str:
    words: str = num2words(value, lang="en")
    words = words.replace(",", "")
    if not rules.british:
        words = words.replace(" and ", " ")
    return words


def ordinal(value: int, rules: Rules) -> str:
    words: str = num2words(value, lang="en", to="ordinal")
    words = words.replace(",", "")
    return words if rules.british else words.replace(" and ", " ")


def year(value: int, rules: Rules) -> str:
    words: str = num2words(value, lang="en", to="year")
    words = words.replace(",", "").replace("oh-", "oh ")
    return words if rules.british else words.replace(" and ", " ")


def decimal(text: str, rules: Rules) -> str:
    """ "28.9" -> "twenty-eight point nine"; digits after the point are read one by one."""
    whole, _, fraction = text.replace(",", "").partition(".")
    spoken = cardinal(int(whole or "0"), rules)
    if fraction:
        spoken += " point " + " ".join(DIGITS[int(d)] for d in fraction)
    return spoken


def number(text: str, rules: Rules) -> str:
    """Any written number: "1,234", "3.5", "007", "1991" (a year), "12345678" (digits)."""
    plain = text.replace(",", "")
    if "." in plain:
        return decimal(plain, rules)
    if len(plain) > 1 and plain.startswith("0"):
        return " ".join("oh" if d == "0" else DIGITS[int(d)] for d in plain)
    if "," not in text and len(plain) == 4 and 1001 <= int(plain) <= 2099:
        return year(int(plain), rules)
    if len(plain) > 15 and "," not in text:
        return " ".join(DIGITS[int(d)] for d in plain)
    return cardinal(int(plain), rules)


DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def plural_number(words: str) -> str:
    last = words.split()[-1]
    plural = last[:-1] + "ies" if last.endswith("y") else last + "s"
    return words[: -len(last)] + plural


Rule = Callable[[str, Rules], str]


Speaker = Callable[[re.Match[str], Rules], str]


def rewrite(pattern: str, flags: int = 0) -> Callable[[Speaker], Rule]:
    """A rule that replaces each match of ``pattern`` with what ``speak`` says for it."""
    compiled = re.compile(pattern, flags)

    def wrap(speak: Speaker) -> Rule:
        def rule(text: str, rules: Rules) -> str:
            return compiled.sub(lambda m: speak(m, rules), text)

        rule.__name__ = speak.__name__
        return rule

    return wrap
