"""Numbers that are codes, not quantities: telephone numbers, IP addresses, street
addresses, serial numbers, card endings. A listener needs their digits, not their size."""

from __future__ import annotations

import re

from publisher.speech.english.tables import (
    COMPASS,
    DIGIT_CONTEXT,
    PHONE_CONTEXT,
    STREET_TYPES,
    US_STATES,
)
from publisher.speech.english.words import DIGITS, Rules, cardinal, rewrite


def digits(text: str, zero: str = "zero") -> str:
    """ "0123" -> "zero one two three": every digit on its own."""
    return " ".join(zero if d == "0" else DIGITS[int(d)] for d in text if d.isdigit())


def _groups(*parts: str) -> str:
    # Commas between the groups: the pause a reader makes at each hyphen.
    return ", ".join(digits(p) for p in parts if p)


@rewrite(
    r"(?<![\w+.-])(?P<plus>\+1[\s-]?)?(?:\((?P<area>\d{3})\)[\s-]?|(?P<area2>\d{3})[-.\s])"
    r"(?P<exchange>\d{3})[-.](?P<line>\d{4})(?:-(?P<ext>\d{1,4}))?(?![\w-]|[.,]\d)"
)
def north_american_phones(m: re.Match[str], rules: Rules) -> str:
    """ "(123) 123-5678", "+1 123-123-5678", "555.555.5555": three, three and four digits."""
    spoken = _groups(m.group("area") or m.group("area2"), m.group("exchange"), m.group("line"))
    if m.group("ext"):
        spoken += ", " + digits(m.group("ext"))
    return ("plus one, " if m.group("plus") else "") + spoken


@rewrite(r"(?<![\w.-])(?P<a>\d{3})-(?P<b>\d{2})-(?P<c>\d{4})(?![\w-]|[.,]\d)")
def social_security_numbers(m: re.Match[str], rules: Rules) -> str:
    return _groups(m.group("a"), m.group("b"), m.group("c"))


@rewrite(r"(?<![\w.-])1-(?P<code>8\d\d)-(?P<rest>[A-Z0-9]+(?:-[A-Z0-9]+)*)(?![\w-])")
def toll_free_numbers(m: re.Match[str], rules: Rules) -> str:
    """ "1-800-GO-U-HAUL": the prefix as a reader says it ("one, eight hundred"), the
    letters as written and the digits one by one."""
    groups: list[str] = []
    for part in m.group("rest").split("-"):
        if part.isalpha() and groups and not groups[-1][-1].isdigit() and groups[-1].isupper():
            groups[-1] += f" {part}"  # "GO-U-HAUL": letters that spell words, read together
        else:
            groups.append(part if part.isalpha() else digits(part))
    return ", ".join(["one", cardinal(int(m.group("code")), rules), *groups])


def local_phones(text: str, rules: Rules) -> str:
    """ "Call 555-0123" is a number to dial; "pages 100-1234" is a range. Seven digits in
    three and four are a telephone number after a word that says so."""
    context = "|".join(re.escape(w) for w in PHONE_CONTEXT)
    pattern = (
        rf"(?i:\b(?P<lead>(?:{context})\b(?:\s+(?:me|us|them|him|her|on|at|is|was|number|no\.?)"
        r")*:?\s+))(?P<a>\d{3})[-.](?P<b>\d{4})(?![\w-]|[.,]\d)"
    )
    return re.sub(pattern, lambda m: m.group("lead") + _groups(m.group("a"), m.group("b")), text)


@rewrite(r"(?<![\w.])(?P<ip>\d{1,3}(?:\.\d{1,3}){3})(?![\w]|\.\d)")
def ip_addresses(m: re.Match[str], rules: Rules) -> str:
    return " dot ".join(digits(part) for part in m.group("ip").split("."))


def digit_contexts(text: str, rules: Rules) -> str:
    """ "card ending in 8876", "PIN 4921", "order number 55012": codes, read digit by digit."""
    context = "|".join(re.escape(w) for w in sorted(DIGIT_CONTEXT, key=len, reverse=True))
    pattern = (
        rf"(?i:\b(?P<lead>(?:{context})(?:\s+(?:is|was|number|no\.?|of))*:?\s+))"
        r"(?P<n>\d{2,}(?:-\d{2,})*)(?![\w]|[.,]\d)(?<=\d{3}|-\d\d)"
    )

    def say(m: re.Match[str]) -> str:
        return m.group("lead") + ", ".join(digits(g) for g in m.group("n").split("-"))

    return re.sub(pattern, say, text)


@rewrite(r"(?<![\w.])(?P<n>\d{3})\((?P<letter>[a-z])\)(?:\((?P<sub>\d{1,2})\))?")
def tax_codes(m: re.Match[str], rules: Rules) -> str:
    """ "401(k)" -> "four oh one k", "501(c)(3)" -> "five oh one c three"."""
    spoken = f"{digits(m.group('n'), zero='oh')} {m.group('letter')}"
    return spoken + (f" {cardinal(int(m.group('sub')), rules)}" if m.group("sub") else "")


# --- street addresses -------------------------------------------------------------------

_STREET = "|".join(sorted(STREET_TYPES, key=len, reverse=True))
_ADDRESS = re.compile(
    r"(?<![\w.,$£€])(?P<num>\d{1,5})\s+(?:(?P<dir>" + "|".join(COMPASS) + r")\.?\s+)?"
    r"(?P<name>(?:(?:[A-Z][\w'’-]*|\d+(?:st|nd|rd|th))\s+){1,3})"
    rf"(?P<type>(?i:{_STREET}))\b(?P<dot>\.(?=\s+[a-z]|[,;]))?"
)
_STATE_ZIP = re.compile(
    r",\s*(?P<state>" + "|".join(US_STATES) + r")\b(?:,?\s+(?P<zip>\d{5})(?:-(?P<plus4>\d{4}))?)?"
    r"(?=\s*$|[,.;)\s])"
)


def addresses(text: str, rules: Rules) -> str:
    """ "2788 San Tomas Expy, Santa Clara, CA 95051" as a reader says it: the house number
    in pairs, the street type and state in full, the ZIP code digit by digit."""
    found = _ADDRESS.search(text)
    if found is None:
        return _STATE_ZIP.sub(_state_with_zip, text)
    head = text[: found.start()] + _say_address(found, rules)
    return head + _STATE_ZIP.sub(_state, addresses(text[found.end() :], rules))


def _say_address(m: re.Match[str], rules: Rules) -> str:
    kind = m.group("type")
    street = next(v for k, v in STREET_TYPES.items() if k.lower() == kind.lower())
    parts = [house_number(m.group("num"), rules)]
    if m.group("dir"):
        parts.append(COMPASS[m.group("dir")])
    return " ".join([*parts, m.group("name").strip(), street])


def house_number(written: str, rules: Rules) -> str:
    """ "1428" -> "fourteen twenty-eight", "123" -> "one twenty-three", "95051" digit by digit."""
    value = int(written)
    if len(written) >= 5 or written.startswith("0"):
        return digits(written)
    if value < 100 or value % 1000 == 0 or (value % 100 == 0 and len(written) == 3):
        return cardinal(value, rules)
    if len(written) == 3:
        return f"{DIGITS[value // 100]} {_pair(value % 100, rules)}"
    return f"{_pair(value // 100, rules)} {_pair(value % 100, rules)}"


def _pair(value: int, rules: Rules) -> str:
    return f"oh {DIGITS[value]}" if value < 10 else cardinal(value, rules)


def _state(m: re.Match[str]) -> str:
    spoken = ", " + US_STATES[m.group("state")]
    if m.group("zip"):
        spoken += " " + digits(m.group("zip"))
        if m.group("plus4"):
            spoken += " " + digits(m.group("plus4"))
    return spoken


def _state_with_zip(m: re.Match[str]) -> str:
    """Without a street before it, "Springfield, IL 62704" is still an address; ", OK" is not."""
    return _state(m) if m.group("zip") else m.group(0)


@rewrite(
    r"(?<![\w+])(?P<phone>\+\d{1,3}(?:[\s-]?\(?\d{1,4}\)?){2,5}|\(?0\d{2,4}\)?(?:[\s-]?\d{3,4}){1,3})"
    r"(?![\w.]\d)"
)
def international_phones(m: re.Match[str], rules: Rules) -> str:
    """ "+44 20 7946 0958", "(01632) 960 123": digit by digit, zero as "oh"."""
    plus = "plus " if m.group("phone").startswith("+") else ""
    return plus + digits(m.group("phone"), zero="oh")
