"""The English rewrite rules, in the order they run."""

from __future__ import annotations

import re

from publisher.speech.english.codes import (
    addresses,
    digit_contexts,
    digits,
    international_phones,
    ip_addresses,
    local_phones,
    north_american_phones,
    social_security_numbers,
    tax_codes,
    toll_free_numbers,
)
from publisher.speech.english.tables import (
    ALWAYS,
    BEFORE_NUMBER,
    COMMON_WORDS,
    CURRENCIES,
    CURRENCY_NAMES,
    ERAS,
    FILE_TYPES,
    METRE_BEFORE,
    METRE_CONTEXT,
    MULTIPLIERS,
    PER_UNITS,
    REGNAL_NAMES,
    ROMAN_KEYWORDS,
    ROMAN_PATTERN,
    ROMAN_VALUES,
    SAID_AS_WORDS,
    SCORE_AFTER,
    SCORE_BEFORE,
    SPELLED,
    SPELLED_AFTER_THE,
    SPOKEN_NAMES,
    SYMBOLS,
    TIME_ZONES,
    TITLES,
    UNICODE_FRACTIONS,
    UNITS,
)
from publisher.speech.english.words import (
    DIGITS,
    MONTH_ABBREVIATIONS,
    MONTH_PATTERN,
    MONTHS,
    NUM,
    Rule,
    Rules,
    Variant,
    cardinal,
    decimal,
    number,
    ordinal,
    plural_number,
    rewrite,
    year,
)

# --- the rules --------------------------------------------------------------------------

_UNIT_NAMES = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))


def normalize_english(text: str, variant: Variant) -> str:
    """Apply the rules until nothing changes: a rule's output can complete a form an earlier
    rule needed ("a0Dr." becomes "a zero Dr." only once the digit is read), and what the
    narrator says must be a fixed point, so that normalising it again changes nothing."""
    rules = Rules(variant)
    for _ in range(4):
        before = text
        for rule in RULES:
            text = rule(text, rules)
        text = " ".join(text.split())
        if text == before:
            break
    return text


@rewrite(r"(?<![\w@.])(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]'’]")
def urls(m: re.Match[str], rules: Rules) -> str:
    # "h-t-t-p-s colon slash slash w-w-w dot" tells a listener nothing the rest does not.
    address = re.sub(r"^https?://", "", m.group(0))
    address = re.sub(r"^www\.", "", address).rstrip("/")
    return _spell_address(address, rules)


@rewrite(r"(?<![\w@.])(?P<scheme>file|ftp|sftp)://(?P<path>[^\s<>\"]*[^\s<>\".,;:!?)\]'’])")
def other_urls(m: re.Match[str], rules: Rules) -> str:
    """ "file:///photos/a.jpg": a scheme other than the web's is part of what to type."""
    return f"{m.group('scheme')} colon slash slash {_spell_address(m.group('path'), rules)}"


@rewrite(r"(?<![\w.])[\w.+&'-]+@[\w-]+(?:\.[\w-]+)+(?P<path>/[^\s<>\"]*[^\s<>\".,;:!?)])?")
def emails(m: re.Match[str], rules: Rules) -> str:
    local, _, domain = m.group(0).partition("@")
    return f"{_spell_address(local, rules)} at {_spell_address(domain, rules)}"


_TOP_DOMAINS = (
    r"com|org|net|edu|gov|io|co\.uk|org\.uk|ac\.uk|gov\.uk|uk|ie|de|fr|eu|info|biz|tv|me|ai|"
    r"app|dev"
)


@rewrite(
    rf"(?<![\w@./])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:{_TOP_DOMAINS})(?![a-zA-Z])"
    r"(?:/[^\s<>\"]*[^\s<>\".,;:!?)])?"
)
def domains(m: re.Match[str], rules: Rules) -> str:
    return _spell_address(m.group(0).rstrip("/"), rules)


@rewrite(r"(?<![\w@./'’])(?P<name>[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)+)(?![\w@]|\.\w)")
def dotted_names(m: re.Match[str], rules: Rules) -> str:
    """ "test.abc", "intro.html", "config.yaml": lower-case words joined by dots are a name
    to type (a file, a host); prose puts a space after its full stops."""
    parts = m.group("name").split(".")
    if all(len(p) == 1 for p in parts):
        return m.group(0)  # "e.g", "i.e": abbreviations, read elsewhere
    return _spell_address(m.group("name"), rules)


_ADDRESS_SIGNS = {
    ".": " dot ",
    "/": " slash ",
    "-": " dash ",
    "_": " underscore ",
    ":": " colon ",
    "?": " question mark ",
    "=": " equals ",
    "&": " ampersand ",
    "#": " hash ",
    "~": " tilde ",
    "+": " plus ",
    "%": " percent ",
    "'": " apostrophe ",
}


def _spell_address(address: str, rules: Rules) -> str:
    spoken = "".join(_ADDRESS_SIGNS.get(ch, ch) for ch in address)
    spoken = re.sub(r"(?<= dot )(\w+)$", lambda t: FILE_TYPES.get(t.group(1), t.group(1)), spoken)
    return re.sub(r"\d+", lambda d: f" {digits(d.group(0))} ", spoken)


def abbreviations(text: str, rules: Rules) -> str:
    for written, spoken in SPOKEN_NAMES.items():
        text = re.sub(rf"(?<![\w.]){re.escape(written)}(?!\w)", spoken, text)
    # Unambiguous titles expand even before "and": "Mr and Mrs Dursley".
    text = re.sub(
        r"(?<![\w.])(Mr|Mrs|Ms|Messrs|Mme|Mlle)\.?(?=\s|$)", lambda m: TITLES[m.group(1)], text
    )
    text = _DOTTED_INITIALISM.sub(lambda m: spell_letters(m.group(0).replace(".", "")) + " ", text)
    for written, spoken in ALWAYS.items():
        text = re.sub(rf"(?<![\w.]){re.escape(written)}(?!\w)", spoken, text)
    for written, spoken in BEFORE_NUMBER.items():
        text = re.sub(rf"(?<![\w.]){re.escape(written)}\s*(?=\d)", f"{spoken} ", text)
    for written, spoken in sorted(TITLES.items(), key=lambda kv: -len(kv[0])):
        parts = r"\.?\s+".join(re.escape(w) for w in written.split())
        text = re.sub(rf"(?<![\w.]){parts}\.?(?=\s+[A-Z\"“'‘(])", spoken + " ", text)
    text = _saint_or_street(text)
    return _doctor_or_drive(text)


# "U.S.", "U.K.", "e.g." is handled above as a word; this spells dotted capitals.
_DOTTED_INITIALISM = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}(?![\w])")


# After a name and before anything but another name, "St" and "Dr" are a street and a
# drive ("Baker St.", "Mulberry Dr."); before a name they are a saint and a doctor.
# Its full stop stays where it may also end the sentence ("lives on Elm St.").
_AFTER_NAME = (
    r"(?P<name>\b[A-Z][\w'’]*) {abbr}(?:\.(?!\s*$|\s+[A-Z\"“]))?"
    r"(?=\s+[a-z\d]|[,;:!?)]|\s*$|\.(?:\s|$))"
)


def _saint_or_street(text: str) -> str:
    text = re.sub(_AFTER_NAME.format(abbr="St"), r"\g<name> Street", text)
    return re.sub(r"(?<![\w.])St\.?(?=\s+[A-Z])", "Saint", text)


def _doctor_or_drive(text: str) -> str:
    text = re.sub(_AFTER_NAME.format(abbr="Dr"), r"\g<name> Drive", text)
    return re.sub(r"(?<![\w.])Dr\.?(?=\s+[A-Z\"“'‘(]|\s*$)", "Doctor", text)


_CURRENCY = "|".join(sorted((re.escape(c) for c in CURRENCIES), key=len, reverse=True))


@rewrite(
    rf"(?P<article>\b[Aa]n?\s+)?(?P<cur>{_CURRENCY})\s?(?P<amount>{NUM}|\.\d+)"
    r"(?:\s?(?P<mult>bn|mn|tn|[kmbKMB]|thousand|million|billion|trillion)\b)?"
    r"(?=\s+(?P<noun>[a-z]+))?"
)
def money(m: re.Match[str], rules: Rules) -> str:
    return (m.group("article") or "") + _amount(m, rules)


# After "a $5", these words do not make the amount describe a noun ("a $5 or $10 tip").
_NOT_NOUNS = frozenset(
    "or and to per a an the each in of for from more less than at on by with if when".split()
)


def _amount(m: re.Match[str], rules: Rules) -> str:
    one, many, small_one, small_many = CURRENCIES[m.group("cur")]
    amount = m.group("amount").replace(",", "")
    multiplier = m.group("mult")
    if m.group("article") and m.group("noun") and m.group("noun") not in _NOT_NOUNS:
        many = one  # "a $48.5 million terminal": a forty-eight point five million dollar one
        if "." in amount and not multiplier:
            many = CURRENCIES[m.group("cur")][1]  # "a three dollars fifty sandwich" is none
    if multiplier:
        return f"{decimal(amount, rules)} {MULTIPLIERS[multiplier.lower()]} {many}"
    whole, _, cents = amount.partition(".")
    if len(cents.rstrip("0")) > 2:  # "$1.125": a price per unit, read as a decimal
        return f"{_point(whole, cents, rules)} {many}"
    units = int(whole or "0")
    hundredths = int((cents + "00")[:2]) if cents else 0
    if units == 0 and hundredths:
        return f"{cardinal(hundredths, rules)} {small_one if hundredths == 1 else small_many}"
    spoken = f"{cardinal(units, rules)} {one if units == 1 else many}"
    if hundredths:
        unit = small_one if hundredths == 1 else small_many
        if m.group("cur") == "£" and hundredths >= 10:
            return f"{spoken} {cardinal(hundredths, rules)}"  # "three pounds fifty"
        return f"{spoken} {cardinal(hundredths, rules)} {unit}"
    return spoken


def _point(whole: str, fraction: str, rules: Rules) -> str:
    """ ".506" -> "point five zero six", "20.506" -> "twenty point five zero six"."""
    spoken = f"point {digits(fraction)}"
    return f"{cardinal(int(whole), rules)} {spoken}" if whole else spoken


@rewrite(r"(?<![\w.,])\.(?P<fraction>\d+)(?![\w.]|,\d)")
def bare_decimals(m: re.Match[str], rules: Rules) -> str:
    return _point("", m.group("fraction"), rules)


_PER = "|".join(sorted((re.escape(u) for u in PER_UNITS), key=len, reverse=True))


@rewrite(rf"(?<=[\w])\s?/\s?(?P<per>{_PER})\b(?!/)")
def per_units(m: re.Match[str], rules: Rules) -> str:
    """ "twenty dollars/mo", "12/kg": a rate, after the amount or unit before it is read."""
    return f" per {PER_UNITS[m.group('per')]}"


@rewrite(rf"(?<![\w.])(?P<amount>{NUM})\s?(?P<unit>p|c)\b(?!\.\s?\d)")
def pence(m: re.Match[str], rules: Rules) -> str:
    amount = m.group("amount")
    one = amount in {"1", "1.0"}
    if m.group("unit") == "p":
        return f"{number(amount, rules)} {'penny' if one else 'pence'}"
    return f"{number(amount, rules)} {'cent' if one else 'cents'}"


@rewrite(rf"(?<![\w.])(?P<neg>-|−)?(?P<amount>{NUM})\s?(?:%|per ?cent\b|percent\b)")
def percentages(m: re.Match[str], rules: Rules) -> str:
    sign = "minus " if m.group("neg") else ""
    word = "per cent" if rules.british else "percent"
    amount = m.group("amount")
    spoken = (
        decimal(amount, rules) if "." in amount else cardinal(int(amount.replace(",", "")), rules)
    )
    return f"{sign}{spoken} {word}"


# The full stop after "a.m." stays when it may also end the sentence.
_AMPM = (
    r"(?P<ampm>[ap]\.\s?m(?:\.(?!\s+[A-Z\"“]|\s*$))?|[ap]m\b|[AP]M\b"
    r"|[AP]\.M(?:\.(?!\s+[A-Z\"“]|\s*$))?)"
)
# "EST", "e.s.t", "est" after a time: the zone, said letter by letter.
_ZONE = (
    r"(?:\s?(?P<zone>(?i:"
    + "|".join(r"\.?".join(zone) + r"\.?" for zone in sorted(TIME_ZONES, key=len, reverse=True))
    + r"))(?![\w]))?"
)


@rewrite(
    rf"(?<![\w.:])(?P<h>[01]?\d|2[0-3])(?:(?P<sep>[:.])(?P<min>[0-5]\d)(?::(?P<sec>[0-5]\d))?)?"
    rf"\s?{_AMPM}{_ZONE}"
)
def times_with_meridiem(m: re.Match[str], rules: Rules) -> str:
    meridiem = "A-M" if m.group("ampm")[0].lower() == "a" else "P-M"
    spoken = f"{_clock(int(m.group('h')), m.group('min'), rules, meridiem=True)} {meridiem}"
    return spoken + _zone(m)


def _zone(m: re.Match[str]) -> str:
    zone = (m.group("zone") or "").replace(".", "").upper()
    return f" {spell_letters(zone)}" if zone else ""


@rewrite(rf"(?<![\w.:])(?P<h>[01]?\d|2[0-3]):(?P<min>[0-5]\d):(?P<sec>[0-5]\d)(?![\d:]){_ZONE}")
def durations(m: re.Match[str], rules: Rules) -> str:
    """ "14:10:30" -> "fourteen hours ten minutes and thirty seconds"."""
    parts = [_count(int(m.group(k)), name, rules) for k, name in (("h", "hour"), ("min", "minute"))]
    return f"{' '.join(parts)} and {_count(int(m.group('sec')), 'second', rules)}" + _zone(m)


def _count(value: int, name: str, rules: Rules) -> str:
    return f"{cardinal(value, rules)} {name}{'' if value == 1 else 's'}"


@rewrite(rf"(?<![\w.:])(?P<h>[01]?\d|2[0-3]):(?P<min>[0-5]\d)(?![\d:]){_ZONE}")
def times_24h(m: re.Match[str], rules: Rules) -> str:
    return _clock(int(m.group("h")), m.group("min"), rules, meridiem=False) + _zone(m)


def _clock(hour: int, minutes: str | None, rules: Rules, *, meridiem: bool) -> str:
    spoken = cardinal(hour, rules) if hour else "zero"
    if not minutes or minutes == "00":
        return spoken if meridiem else f"{spoken} hundred" if hour > 12 else f"{spoken} o'clock"
    value = int(minutes)
    return f"{spoken} {'oh ' if value < 10 else ''}{cardinal(value, rules)}"


@rewrite(
    r"(?<![\w/.-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\w/]|[.-]\d)"
)
def numeric_dates(m: re.Match[str], rules: Rules) -> str:
    """ "7/11/2004", "15.01.2020", "15-01-2020": day first in British use, month first in
    American, whichever order the numbers allow."""
    if m.group("sep") != "/" and len(m.group("y")) == 2:
        return m.group(0)  # "1.2.10" is a version, "3-4-10" a list of scores
    a, b = int(m.group("a")), int(m.group("b"))
    day_first = (rules.british and b <= 12) or a > 12
    day, month = (a, b) if day_first else (b, a)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m.group(0).replace("/", " slash ")
    spoken = _say_date(day, month, Rules("en-GB" if day_first else "en-US"))
    return f"{spoken} {_year_as_written(m.group('y'), rules)}"


@rewrite(
    r"(?<![\w/.-])(?P<y>\d{4})(?P<sep>[/-])(?P<m>0?[1-9]|1[0-2])(?P=sep)"
    r"(?P<d>0?[1-9]|[12]\d|3[01])(?![\w/-])"
)
def year_first_dates(m: re.Match[str], rules: Rules) -> str:
    """ "2016/07/03", "2004-11-07" (ISO 8601)."""
    day, month = int(m.group("d")), int(m.group("m"))
    return f"{_say_date(day, month, rules)} {year(int(m.group('y')), rules)}"


@rewrite(r"(?<![\w/.-])(?P<m>0?[1-9]|1[0-2])/(?P<y>1\d{3}|20\d{2})(?![\w/]|[.-]\d)")
def month_years(m: re.Match[str], rules: Rules) -> str:
    """ "1/2007": a month and a year, as on a card's expiry or a journal's issue."""
    return f"{MONTHS[int(m.group('m')) - 1]} {year(int(m.group('y')), rules)}"


def _year_as_written(written: str, rules: Rules) -> str:
    """ "2004" -> "two thousand four"; "05" in "11/17/05" -> "oh five", as a reader says it."""
    if len(written) == 4:
        return year(int(written), rules)
    value = int(written)
    return f"oh {DIGITS[value]}" if value < 10 else cardinal(value, rules)


def _say_date(day: int, month: int, rules: Rules) -> str:
    name = MONTHS[month - 1]
    if rules.british:
        return f"the {ordinal(day, rules)} of {name}"
    return f"{name} {ordinal(day, rules)}"


# "may" and "march" in lower case are verbs ("you may 2 times"): a date only with a year
# or an ordinal ending, as are lower-case abbreviations without their full stop.
_VERB_MONTHS = frozenset({"may", "march"})


def _unlikely_month(m: re.Match[str]) -> bool:
    written = m.group("month")
    if not written.islower() or m.group("y") or m.group("sfx"):
        return False
    return written in _VERB_MONTHS or (len(written) == 3 and written != "may")


@rewrite(
    rf"(?<![\w.])(?:the\s+)?(?:(?P<d0>[0-3]?\d)(?:st|nd|rd|th)?\s?[-–]\s?)?"
    rf"(?P<d>[0-3]?\d)(?P<sfx>st|nd|rd|th)?(?:\s+of)?\s+{MONTH_PATTERN}"
    r"(?:,?\s+(?P<y>\d{4})\b)?"
)
def day_month(m: re.Match[str], rules: Rules) -> str:
    day = int(m.group("d"))
    if not 1 <= day <= 31 or _unlikely_month(m):
        return m.group(0)
    spoken = f"the {ordinal(day, rules)} of {_month(m.group('month'))}"
    if m.group("d0"):
        spoken = f"the {ordinal(int(m.group('d0')), rules)} to {spoken}"
    return f"{spoken} {year(int(m.group('y')), rules)}" if m.group("y") else spoken


@rewrite(
    rf"\b{MONTH_PATTERN}(?:\s+|-)(?P<d>[0-3]?\d)(?P<sfx>st|nd|rd|th)?\b"
    r"(?:\s?[-–]\s?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b)?(?:(?:,?\s+|-)(?P<y>\d{4})\b)?"
    r"(?!\s*(?:[:.]\d|%)|\d)"
)
def month_day(m: re.Match[str], rules: Rules) -> str:
    day = int(m.group("d"))
    if not 1 <= day <= 31 or _unlikely_month(m):
        return m.group(0)
    spoken = f"{_month(m.group('month'))} {ordinal(day, rules)}"
    if m.group("d2"):
        spoken += f" to {ordinal(int(m.group('d2')), rules)}"
    return f"{spoken}, {year(int(m.group('y')), rules)}" if m.group("y") else spoken


def _month(written: str) -> str:
    name = written.rstrip(".").capitalize()
    return MONTH_ABBREVIATIONS.get(name, name)


@rewrite(r"(?<![\w.])(?P<q>[1-4])Q(?P<y>\d{2}|\d{4})\b")
def quarters(m: re.Match[str], rules: Rules) -> str:
    """ "2Q22" -> "the second quarter of twenty-two"."""
    quarter = ordinal(int(m.group("q")), rules)
    return f"the {quarter} quarter of {_year_as_written(m.group('y'), rules)}"


_ERA = r"(?P<era>A\.?D|B\.?C(?:\.?E)?|C\.?E|A-D|B-C(?:-E)?|C-E)\.?(?!\w)"


@rewrite(rf"(?<![\w.,])(?P<y>\d{{1,4}})\s?{_ERA}")
def eras(m: re.Match[str], rules: Rules) -> str:
    """ "340 AD" -> "three forty A-D", "500 BCE": a year, read as one."""
    era = ERAS[m.group("era").replace(".", "").replace("-", "")]
    return f"{year(int(m.group('y')), rules)} {era}"


@rewrite(r"(?<![\w.])(?:(?P<century>\d{2})|['’‘])(?P<decade>\d)0\s?s\b")
def decades(m: re.Match[str], rules: Rules) -> str:
    decade = int(m.group("decade")) * 10
    if m.group("century") is None:
        return plural_number(cardinal(decade, rules)) if decade else "noughties"
    full = int(m.group("century")) * 100 + decade
    if full % 100 == 0:
        spoken = year(full, rules)
        return spoken.replace("hundred", "hundreds").replace("thousand", "thousands")
    return plural_number(year(full, rules))


@rewrite(r"(?<![\w.,])(?P<a>\d{4})\s?[-–—]\s?(?P<b>\d{2}|\d{4})(?!\w|[.,]\d)")
def year_ranges(m: re.Match[str], rules: Rules) -> str:
    first = int(m.group("a"))
    second = int(m.group("b"))
    if len(m.group("b")) == 2:
        second = first // 100 * 100 + second
    if not (1000 <= first <= 2099 and first < second):
        return f"{number(m.group('a'), rules)} to {number(m.group('b'), rules)}"
    tail = year(second, rules)
    if len(m.group("b")) == 2 and second % 100 >= 10:
        tail = cardinal(second % 100, rules)
    return f"{year(first, rules)} to {tail}"


@rewrite(rf"(?<![\w.,-])(?P<a>{NUM})\s?[-–—]\s?(?P<b>{NUM})(?![\w-]|[.,]\d)")
def ranges(m: re.Match[str], rules: Rules) -> str:
    """ "10-12", "10–12" -> "10 to 12"; the numbers themselves are read by later rules."""
    return f"{m.group('a')} to {m.group('b')}"


_QUANTITY = (
    r"(?:(?:US\$|[£$€¥₩])\s?)?(?:\d{1,2}:\d{2}|" + NUM + r")"
    r"(?:\s?(?:[ap]\.?m\.?|[AP]M|%|s\b))?"
)


@rewrite(
    rf"(?<![\w.,:-])(?P<a>{_QUANTITY})\s?[-–—]\s?(?P<b>{_QUANTITY})(?P<unit>\s?(?:{{units}})\b)?"
    r"(?![\w-]|[.,:]\d)".replace(
        "{units}", "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
    )
)
def quantity_ranges(m: re.Match[str], rules: Rules) -> str:
    """ "$250-$300", "2pm-5pm", "1960s-80s", "2%-10%", "2-5lb": a range of amounts; when a
    unit follows, both ends are counts of it ("1980-1970 kg" is not two years)."""
    first, second, unit = m.group("a"), m.group("b"), m.group("unit") or ""
    if unit and re.fullmatch(NUM, first):
        first = _quantity(first, rules)
    elif not unit and re.fullmatch(NUM, first) and re.fullmatch(NUM, second):
        return m.group(0)  # plain numbers: a score, a year range or a range, read later
    return f"{first} to {second}{unit}"


def _quantity(written: str, rules: Rules) -> str:
    """A count or measure: never a year ("1970 kg"), never digit by digit."""
    plain = written.replace(",", "")
    return decimal(plain, rules) if "." in plain else cardinal(int(plain), rules)


@rewrite(r"(?<![\w.])(?P<version>\d+(?:\.\d+){2,3})(?![\w]|\.\d)")
def versions(m: re.Match[str], rules: Rules) -> str:
    """ "5.3.0" -> "five point three point zero": a version, each part a number."""
    return " point ".join(cardinal(int(p), rules) for p in m.group("version").split("."))


@rewrite(rf"(?<![\w.])(?P<a>{NUM})\s?[-−]\s?(?=(?:{NUM})\s?=)")
def equations(m: re.Match[str], rules: Rules) -> str:
    """ "1-2=5": in a sum, a hyphen is a minus."""
    return f"{m.group('a')} minus "


_SCORE = re.compile(r"(?<![\w.,-])(?P<a>\d{1,2})[-–](?P<b>\d{1,2})(?![\w-]|[.,]\d)")
_SCORE_BEFORE = re.compile(
    rf"(?i:\b(?:{'|'.join(SCORE_BEFORE)})\b(?:\s+(?:by|a|an|the|it|them|us|him|her))?)\s+$"
)
_SCORE_AFTER = re.compile(rf"\s+(?i:{'|'.join(re.escape(w) for w in SCORE_AFTER)})\b")
_SCORE_LIST = (re.compile(r",\s+\d{1,2}[-–]\d{1,2}\b"), re.compile(r"\b\d{1,2}[-–]\d{1,2},\s+$"))


def scores(text: str, rules: Rules) -> str:
    """ "won 3-1", "a 2-0 win", "6-4, 6-3": scores, said "three one", "two nil"; without
    such a word around it "3-5" stays a range."""

    def say(m: re.Match[str]) -> str:
        head, tail = text[: m.start()], text[m.end() :]
        if (
            _SCORE_BEFORE.search(head)
            or _SCORE_AFTER.match(tail)
            or _SCORE_LIST[0].match(tail)
            or _SCORE_LIST[1].search(head)
        ):
            return f"{_goals(m.group('a'), rules)} {_goals(m.group('b'), rules)}"
        return m.group(0)

    return _SCORE.sub(say, text)


def _goals(written: str, rules: Rules) -> str:
    if int(written) == 0:
        return "nil" if rules.british else "nothing"
    return cardinal(int(written), rules)


@rewrite(r"(?<![\w.])(?P<n>\d+)(?P<letter>[A-Z])\b")
def house_numbers(m: re.Match[str], rules: Rules) -> str:
    """ "221B" -> "two hundred and twenty-one-B"."""
    return f"{cardinal(int(m.group('n')), rules)}-{m.group('letter')}"


@rewrite(
    r"(?<![\w.,/])(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s?(?P<suffix>st|nd|rd|th|ST|ND|RD|TH)"
    r"(?P<plural>s)?\b"
)
def ordinals(m: re.Match[str], rules: Rules) -> str:
    """ "21st", "1,000th", and "the 60ths" (a regiment, a fraction) in the plural."""
    spoken = ordinal(int(m.group("n").replace(",", "")), rules)
    return plural_number(spoken) if m.group("plural") else spoken


@rewrite(r"(?<![\w./])(?P<whole>\d+)?\s?(?P<frac>[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])")
def unicode_fractions(m: re.Match[str], rules: Rules) -> str:
    top, bottom = UNICODE_FRACTIONS[m.group("frac")]
    spoken = _fraction(top, bottom, rules)
    if m.group("whole"):
        article = "a " if top == 1 else ""
        part = spoken.split(" ", 1)[1] if top == 1 else spoken
        return f"{cardinal(int(m.group('whole')), rules)} and {article}{part}"
    return spoken


_ORDINAL_ENDING = r"(?:st|nd|rd|th|ST|ND|RD|TH)?"


@rewrite(
    rf"(?<![\w./])(?P<whole>\d+)\s(?P<top>\d{{1,3}})/(?P<bottom>\d{{1,3}}){_ORDINAL_ENDING}"
    rf"(?![\w/]|[.,]\d)(?:\s?(?P<unit>{_UNIT_NAMES})(?![\w²³]))?"
)
def mixed_numbers(m: re.Match[str], rules: Rules) -> str:
    """ "2 1/2" -> "two and a half", "3 2/4" -> "three and two quarters"; a unit after it
    is read in the plural ("4 1/2 lbs")."""
    top, bottom = int(m.group("top")), int(m.group("bottom"))
    if bottom == 0:
        return m.group(0)
    part = _fraction(top, bottom, rules)
    if top == 1 and bottom > 1:
        part = "a " + part.split(" ", 1)[1]
    spoken = f"{cardinal(int(m.group('whole')), rules)} and {part}"
    return f"{spoken} {_unit_name(m.group('unit'), 2, rules)}" if m.group("unit") else spoken


# Words before "98/100" that make it a mark, "out of" a hundred.
_MARKED = r"(?i:scored|scores|score|rated|rating|marks?|got|gets|getting|ranked|a|an)\s+"


@rewrite(
    rf"(?<![\w./])(?P<marked>{_MARKED})?(?P<top>\d{{1,5}})/(?P<bottom>\d{{1,5}}){_ORDINAL_ENDING}"
    r"(?![\w/]|[.,]\d)"
)
def fractions(m: re.Match[str], rules: Rules) -> str:
    top, bottom = int(m.group("top")), int(m.group("bottom"))
    lead = m.group("marked") or ""
    if (top, bottom) == (24, 7) or bottom == 0:
        return f"{lead}{cardinal(top, rules)} {cardinal(bottom, rules)}"
    if lead and lead.strip().lower() not in {"a", "an"} and top <= bottom:
        return f"{lead}{cardinal(top, rules)} out of {cardinal(bottom, rules)}"
    return lead + _fraction(top, bottom, rules)


def _fraction(top: int, bottom: int, rules: Rules) -> str:
    if bottom == 1:
        return f"{cardinal(top, rules)} over one"
    if bottom == 2:
        name = "half" if top == 1 else "halves"
    elif bottom == 4:
        name = "quarter" if top == 1 else "quarters"
    else:
        name = ordinal(bottom, rules) if top == 1 else plural_number(ordinal(bottom, rules))
    return f"{cardinal(top, rules) if top != 1 else 'one'} {name}"


_COUNTED = (
    "people",
    "pounds",
    "dollars",
    "euros",
    "years",
    "votes",
    "viewers",
    "users",
    "barrels",
    "jobs",
    "homes",
    "customers",
    "visitors",
    "copies",
    "passengers",
)


@rewrite(rf"(?<![\w.])(?P<a>{NUM})\s?[x×]\s?(?P<b>{NUM})\s?(?P<unit>{_UNIT_NAMES})(?![\w²³]|/\d)")
def dimensions(m: re.Match[str], rules: Rules) -> str:
    """ "2x8 m2", "25 x 7 m": one side by the other, in the unit after them."""
    sides = f"{_quantity(m.group('a'), rules)} by {_quantity(m.group('b'), rules)}"
    return f"{sides} {_unit_name(m.group('unit'), 2, rules)}"


@rewrite(rf"(?<![\w.])(?P<a>{NUM})\s?\*\s?(?=(?:{NUM})(?!\w))")
def products(m: re.Match[str], rules: Rules) -> str:
    return f"{m.group('a')} times "


@rewrite(
    rf"(?P<before>\b[A-Za-z]{{2,}}\s)?(?<![\w.])(?P<neg>[-−])?(?P<amount>{NUM})"
    r"(?:\s(?P<scale>thousand|million|billion))?"
    rf"\s?(?P<unit>{_UNIT_NAMES})(?![\w²³]|/\d)(?=(?P<next>\s+\w+)?)"
)
def units(m: re.Match[str], rules: Rules) -> str:
    unit, amount, before = m.group("unit"), m.group("amount"), m.group("before") or ""
    following = m.group("next") or ""
    spoken = before + ("minus " if m.group("neg") else "") + _quantity(amount, rules)
    if m.group("scale"):
        spoken += " " + m.group("scale")
        amount = "many"
    elif unit == "m" and _means_million(before, following):
        return f"{spoken} million"
    return f"{spoken} {_unit_name(unit, 1 if amount == '1' else 2, rules)}"


def _unit_name(unit: str, count: int, rules: Rules) -> str:
    one, british, american = UNITS[unit]
    if count == 1:
        return one if rules.british else one.replace("metre", "meter").replace("litre", "liter")
    return british if rules.british else american


def _means_million(before: str, following: str) -> bool:
    """ "5m people", "a £20m deal" are millions; "ran 5m", "a 100m sprint", "20m high" metres."""
    if before.strip().lower() in METRE_BEFORE:
        return False
    word = following.strip().lower()
    return word in _COUNTED or not word.startswith(METRE_CONTEXT)


@rewrite(r"(?<![\w.])(?P<n>\d+)(?P<mult>bn|mn|tn|k)\b")
def bare_multipliers(m: re.Match[str], rules: Rules) -> str:
    return f"{cardinal(int(m.group('n')), rules)} {MULTIPLIERS[m.group('mult')]}"


def roman_numerals(text: str, rules: Rules) -> str:
    def regnal(m: re.Match[str]) -> str:
        return f"{m.group('name')} the {ordinal(_roman(m.group('num')), rules).capitalize()}"

    def counted(m: re.Match[str]) -> str:
        return f"{m.group('key')} {cardinal(_roman(m.group('num')), rules).title()}"

    names = "|".join(sorted(REGNAL_NAMES))
    text = re.sub(rf"\b(?P<name>{names})\s+(?P<num>{ROMAN_PATTERN})\b(?!['’]?\w)", regnal, text)
    keywords = "|".join(re.escape(k) for k in ROMAN_KEYWORDS)
    text = re.sub(
        rf"(?i:\b(?P<key>{keywords}))\s+(?P<num>{ROMAN_PATTERN})\b(?!['’]?\w)", counted, text
    )
    # A numeral that numbers a line ("VIII. Monseigneur in the Country") is its number.
    text = re.sub(
        rf"^(?P<num>{ROMAN_PATTERN})\.(?=\s+[A-Z\"“])",
        lambda m: cardinal(_roman(m.group("num")), rules).title() + ".",
        text,
    )
    # After any other name, II to IV are a person's number: "John Smith III", "Sam II".
    return re.sub(r"\b(?P<name>[A-Z][a-z]+)\s+(?P<num>II|III|IV)\b(?!['’]?\w)", regnal, text)


def _roman(numeral: str) -> int:
    total = 0
    for here, after in zip(numeral, [*numeral[1:], " "], strict=True):
        value = ROMAN_VALUES[here]
        total += -value if after != " " and ROMAN_VALUES[after] > value else value
    return total


@rewrite(r"(?<=[A-Za-z])0\d*|(?<![\w.])0\d*(?=[A-Za-z])")
def code_zeros(m: re.Match[str], rules: Rules) -> str:
    """ "25d08A", "t-0t25": a zero inside a code is "zero", as every digit after it."""
    return f" {digits(m.group(0))} "


_CODE = re.compile(r"(?<!\w)(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]+(?!\w)")


def letters_and_digits(text: str, rules: Rules) -> str:
    """ "B2A23C", "t2000", "W2s": a code; its letters and numbers are read apart. Runs after
    every rule that reads a number with letters attached (units, ordinals, times); "1990s"
    and "4s" are numbers in the plural."""

    def split(m: re.Match[str]) -> str:
        token = m.group(0)
        if re.fullmatch(r"\d+s", token):
            return token
        return " ".join(_code_part(part, rules) for part in re.findall(r"\d+|\D+", token))

    return _CODE.sub(split, text)


def _code_part(part: str, rules: Rules) -> str:
    """In a code, "2000" is "two thousand" but "9453" and "2490" are said digit by digit."""
    if not part.isdigit() or len(part) < 4 or int(part) % 1000 == 0:
        return part
    return digits(part)


_CURRENCY_SIGNS = "".join(re.escape(c) for c in CURRENCY_NAMES)


@rewrite(rf"[{_CURRENCY_SIGNS}]")
def currency_signs(m: re.Match[str], rules: Rules) -> str:
    """A currency sign with no amount after it: "$ and %", "price in €"."""
    return f" {CURRENCY_NAMES[m.group(0)]} "


@rewrite(r"(?<![\w.])(?P<sym>[#№])\s?(?=\d)")
def number_signs(m: re.Match[str], rules: Rules) -> str:
    return "number "


@rewrite(r"(?<![\w.])(?P<neg>[-−])(?=\d)")
def negatives(m: re.Match[str], rules: Rules) -> str:
    return "minus "


@rewrite(rf"(?<![\w])(?P<n>{NUM})(?P<tail>['’]?s)?(?![\d])")
def numbers(m: re.Match[str], rules: Rules) -> str:
    spoken = number(m.group("n"), rules)
    if m.group("tail"):
        return plural_number(spoken)
    return spoken


@rewrite(r"\d")
def stray_digits(m: re.Match[str], rules: Rules) -> str:
    return f" {DIGITS[int(m.group(0))]} "


def capitals(text: str, rules: Rules) -> str:
    words = re.findall(r"\b[A-Z][A-Z&']+\b", text)
    headline = len(words) >= 3 and len(words) * 10 >= 6 * len(re.findall(r"\b[A-Za-z]{2,}\b", text))
    return _CAPITALS.sub(
        lambda m: _capital_word(m.group(0), headline, text[: m.start()].lower().endswith("the ")),
        text,
    )


_CAPITALS = re.compile(r"(?<![\w'’])[A-Z][A-Za-z0-9&]*[A-Z0-9]s?(?:['’]s)?(?![\w'’])")


def _capital_word(word: str, headline: bool, preceded_by_the: bool) -> str:
    stem, possessive = (word[:-2], word[-2:]) if word[-2:] in {"'s", "’s"} else (word, "")
    if not any(c.isupper() for c in stem[1:]):
        return word
    if stem in SPELLED_AFTER_THE and not preceded_by_the:
        return stem.lower() + possessive
    if stem in SPELLED or (stem.rstrip("s") in SPELLED and stem.endswith("s")):
        return spell_letters(stem) + possessive
    if stem.lower() in COMMON_WORDS:
        return stem.lower() + possessive
    if stem in SAID_AS_WORDS:
        return stem.capitalize() + possessive
    if headline or not stem.isupper() or len(stem) > 5:
        return (stem.lower() if stem.isupper() else stem) + possessive
    if len(stem) >= 4 and sayable(stem):
        return stem.capitalize() + possessive
    return spell_letters(stem) + possessive


_VOWELS = "AEIOUY"
_ONSETS = frozenset(
    "BL BR CH CL CR DR FL FR GL GR KN PH PL PR QU SC SH SK SL SM SN SP ST SW TH TR TW WH WR".split()
)
_CODAS = frozenset(
    "CH CK CT DS FF FT GS KS LD LF LK LL LM LP LS LT MP MS ND NG NK NS NT PS PT RB RD RK RL RM "
    "RN RP RS RT SH SK SP SS ST TH TS XT".split()
)
_VOWEL_PAIRS = frozenset("AI AU EA EE EI IE OA OI OO OU UE UI".split())


def sayable(word: str) -> bool:
    """Whether capitals can be said as a word ("NATO", "OFSTED") rather than spelled
    ("ACLU", "NAACP"): an English shape, two vowels at least, clusters English allows at
    the start, in the middle and at the end."""
    if sum(1 for c in word if c in _VOWELS) < 2 or word[-1] in "JQVC":
        return False
    if word[-1] in "UI" and word[-2] not in _VOWELS:  # "ACLU", "FBI"; not "THOU"
        return False
    runs = re.findall(rf"[{_VOWELS}]+|[^{_VOWELS}]+", word)
    for n, run in enumerate(runs):
        vowel = run[0] in _VOWELS
        if vowel and len(run) > 1 and (len(run) > 2 or run not in _VOWEL_PAIRS):
            return False
        if not vowel and len(run) > 1:
            allowed = _ONSETS if n == 0 else _CODAS if n == len(runs) - 1 else None
            if allowed is not None and run not in allowed:
                return False
            if allowed is None and len(run) > 2:
                return False
    return True


def spell_letters(stem: str) -> str:
    """ "BBC" -> "B-B-C", "MPs" -> "M-P's", "CO2" -> "C-O two", "A&E" -> "A-and-E".

    Letters are joined with hyphens because engines read a lone "A" as the article ("uh"),
    while "A-M" and "U-S-A" are read letter by letter; the plural "s" becomes "'s" so that
    "MPs" is said "em-peez", not "em-pee-ess".
    """
    plural = stem.endswith("s") and len(stem) > 1 and stem[:-1].isupper()
    letters = stem[:-1] if plural else stem
    words: list[str] = []
    run: list[str] = []
    for ch in letters:
        if ch.isdigit():
            if run:
                words.append("-".join(run))
                run = []
            words.append(DIGITS[int(ch)])
        else:
            run.append("and" if ch == "&" else ch.upper())
    if run:
        words.append("-".join(run))
    return " ".join(words) + ("'s" if plural else "")


@rewrite(r"(?<![\w.])(?P<letter>[A-Z])(?P<n>[1-9]\d{0,2})(?![\w.,]\d|\w)")
def letter_numbers(m: re.Match[str], rules: Rules) -> str:
    """Roads, summits and aircraft: "M25" -> "M twenty-five", "G7" -> "G seven"."""
    return f"{m.group('letter')} {cardinal(int(m.group('n')), rules)}"


@rewrite(rf"(?<![\w.])(?P<neg>[-−])?(?P<amount>{NUM})(?P<scale>[CF])\b")
def temperatures(m: re.Match[str], rules: Rules) -> str:
    """British papers write "40.3C" without the degree sign."""
    scale = "Celsius" if m.group("scale") == "C" else "Fahrenheit"
    sign = "minus " if m.group("neg") else ""
    plural = "degree" if m.group("amount") == "1" else "degrees"
    return f"{sign}{number(m.group('amount'), rules)} {plural} {scale}"


# Initials before a surname lose their full stops, so "T. Egerton" is not read as a
# sentence end, and run together as letters: "J. K. Rowling" -> "J-K Rowling".
# A letter after a hyphen ends a spelled form ("P-M.", "four-B."): its full stop ends the
# sentence and is kept.
@rewrite(r"(?<![\w.-])(?P<initials>(?:[A-Z]\.\s*){1,4})(?=[A-Z][a-z])")
def initials(m: re.Match[str], rules: Rules) -> str:
    return "-".join(re.findall(r"[A-Z]", m.group("initials"))) + " "


def symbols(text: str, rules: Rules) -> str:
    text = re.sub(r"\band/or\b", "and or", text)
    text = re.sub(r"(?<![\w#])#(?=[A-Za-z])", "hashtag ", text)
    text = re.sub(r"(?<=\d)\s?\*\s?(?=\d)", " times ", text)
    if not rules.british:
        text = text.replace("per cent", "percent")
    for symbol, spoken in SYMBOLS.items():
        if symbol == "%":
            spoken = " per cent " if rules.british else " percent "
        text = text.replace(symbol, spoken)
    text = re.sub(r"(?<=\s)-(?=\s)", ",", text)
    return re.sub(r"(?<=\w)\s+,", ",", text)


def unicode_dashes(text: str, rules: Rules) -> str:
    """Dashes between words become pauses (commas); between numbers, "to"."""
    text = re.sub(r"(?<=\d)\s?[–—]\s?(?=\d)", " to ", text)
    return re.sub(r"\s*[—–]\s*", ", ", text)


RULES: tuple[Rule, ...] = (
    urls,
    other_urls,
    emails,
    domains,
    quantity_ranges,
    times_with_meridiem,
    durations,
    times_24h,
    dotted_names,
    eras,
    abbreviations,
    initials,
    north_american_phones,
    social_security_numbers,
    toll_free_numbers,
    local_phones,
    ip_addresses,
    international_phones,
    addresses,
    digit_contexts,
    tax_codes,
    money,
    bare_decimals,
    pence,
    percentages,
    temperatures,
    numeric_dates,
    versions,
    year_first_dates,
    month_years,
    day_month,
    month_day,
    quarters,
    decades,
    year_ranges,
    equations,
    products,
    scores,
    ranges,
    ordinals,
    unicode_fractions,
    mixed_numbers,
    fractions,
    dimensions,
    units,
    per_units,
    bare_multipliers,
    house_numbers,
    letter_numbers,
    roman_numerals,
    code_zeros,
    letters_and_digits,
    number_signs,
    negatives,
    numbers,
    stray_digits,
    capitals,
    unicode_dashes,
    currency_signs,
    symbols,
)
