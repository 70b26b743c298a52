"""The English rewrite rules, in the order they run."""

from __future__ import annotations

import re
from collections.abc import Callable

from publisher.speech.english.tables import (
    ALWAYS,
    BEFORE_NUMBER,
    COMMON_WORDS,
    CURRENCIES,
    METRE_CONTEXT,
    MULTIPLIERS,
    REGNAL_NAMES,
    ROMAN_KEYWORDS,
    ROMAN_PATTERN,
    ROMAN_VALUES,
    SAID_AS_WORDS,
    SPELLED,
    SPELLED_AFTER_THE,
    SPOKEN_NAMES,
    SYMBOLS,
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
    Rules,
    Variant,
    cardinal,
    decimal,
    number,
    ordinal,
    plural_number,
    year,
)

# --- the rules --------------------------------------------------------------------------

Rule = Callable[[str, Rules], str]


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


def _sub(pattern: str, flags: int = 0) -> Callable[[Callable[[re.Match[str], Rules], str]], Rule]:
    compiled = re.compile(pattern, flags)

    def wrap(speak: Callable[[re.Match[str], Rules], str]) -> Rule:
        def rule(text: str, rules: Rules) -> str:
            return compiled.sub(lambda m: speak(m, rules), text)

        rule.__name__ = speak.__name__
        return rule

    return wrap


@_sub(r"(?<![\w@.])(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]'’]")
def urls(m: re.Match[str], rules: Rules) -> str:
    address = re.sub(r"^https?://", "", m.group(0))
    address = re.sub(r"^www\.", "", address).rstrip("/")
    return _spell_address(address, rules)


@_sub(r"(?<![\w.])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
def emails(m: re.Match[str], rules: Rules) -> str:
    local, _, domain = m.group(0).partition("@")
    return f"{_spell_address(local, rules)} at {_spell_address(domain, rules)}"


@_sub(
    r"(?<![\w@./])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|io|co\.uk|org\.uk|"
    r"ac\.uk|gov\.uk|uk|ie|de|fr|eu|info|biz|tv|me|ai|app|dev)(?![a-zA-Z])(?:/[^\s<>\"]*[^\s<>\".,;:!?)])?"
)
def domains(m: re.Match[str], rules: Rules) -> str:
    return _spell_address(m.group(0).rstrip("/"), rules)


def _spell_address(address: str, rules: Rules) -> str:
    names = {
        ".": " dot ",
        "/": " slash ",
        "-": " dash ",
        "_": " underscore ",
        ":": " colon ",
        "?": " question mark ",
        "=": " equals ",
        "&": " and ",
        "#": " hash ",
        "~": " tilde ",
        "+": " plus ",
        "%": " percent ",
    }
    spoken = "".join(names.get(ch, ch) for ch in address)
    return re.sub(
        r"\d+", lambda d: " " + " ".join(DIGITS[int(x)] for x in d.group(0)) + " ", spoken
    )


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
_AFTER_NAME = r"(?P<name>\b[A-Z][\w'’]*) {abbr}\.?(?=\s+[a-z\d]|[,;:!?)]|\s*$|\.\s)"


def _saint_or_street(text: str) -> str:
    text = re.sub(_AFTER_NAME.format(abbr="St"), r"\g<name> Street", text)
    return re.sub(r"(?<![\w.])St\.?(?=\s+[A-Z])", "Saint", text)


def _doctor_or_drive(text: str) -> str:
    text = re.sub(_AFTER_NAME.format(abbr="Dr"), r"\g<name> Drive", text)
    return re.sub(r"(?<![\w.])Dr\.?(?=\s+[A-Z\"“'‘(]|\s*$)", "Doctor", text)


@_sub(
    rf"(?P<cur>US\$|A\$|C\$|[£$€¥₹])\s?(?P<amount>{NUM})"
    r"(?:\s?(?P<mult>bn|mn|tn|[kmb]|thousand|million|billion|trillion)\b)?"
)
def money(m: re.Match[str], rules: Rules) -> str:
    one, many, small_one, small_many = CURRENCIES[m.group("cur")]
    amount = m.group("amount").replace(",", "")
    multiplier = m.group("mult")
    if multiplier:
        return f"{decimal(amount, rules)} {MULTIPLIERS[multiplier.lower()]} {many}"
    whole, _, cents = amount.partition(".")
    units = int(whole or "0")
    hundredths = int((cents + "00")[:2]) if cents else 0
    if units == 0 and hundredths:
        return f"{cardinal(hundredths, rules)} {small_one if hundredths == 1 else small_many}"
    spoken = f"{cardinal(units, rules)} {one if units == 1 else many}"
    if hundredths:
        if m.group("cur") == "£":
            return f"{spoken} {cardinal(hundredths, rules)}"
        unit = small_one if hundredths == 1 else small_many
        return f"{spoken} and {cardinal(hundredths, rules)} {unit}"
    return spoken


@_sub(rf"(?<![\w.])(?P<amount>{NUM})\s?(?P<unit>p|c)\b(?!\.\s?\d)")
def pence(m: re.Match[str], rules: Rules) -> str:
    amount = m.group("amount")
    one = amount in {"1", "1.0"}
    if m.group("unit") == "p":
        return f"{number(amount, rules)} {'penny' if one else 'pence'}"
    return f"{number(amount, rules)} {'cent' if one else 'cents'}"


@_sub(rf"(?<![\w.])(?P<neg>-|−)?(?P<amount>{NUM})\s?(?:%|per ?cent\b|percent\b)")
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


@_sub(rf"(?<![\w.:])(?P<h>[01]?\d|2[0-3])(?:(?P<sep>[:.])(?P<min>[0-5]\d))?\s?{_AMPM}")
def times_with_meridiem(m: re.Match[str], rules: Rules) -> str:
    meridiem = "A-M" if m.group("ampm")[0].lower() == "a" else "P-M"
    return f"{_clock(int(m.group('h')), m.group('min'), rules, meridiem=True)} {meridiem}"


@_sub(r"(?<![\w.:])(?P<h>[01]?\d|2[0-3]):(?P<min>[0-5]\d)(?![\d:])")
def times_24h(m: re.Match[str], rules: Rules) -> str:
    return _clock(int(m.group("h")), m.group("min"), rules, meridiem=False)


def _clock(hour: int, minutes: str | None, rules: Rules, *, meridiem: bool) -> str:
    spoken = cardinal(hour, rules) if hour else "zero"
    if not minutes or minutes == "00":
        return spoken if meridiem else f"{spoken} hundred" if hour > 12 else f"{spoken} o'clock"
    value = int(minutes)
    return f"{spoken} {'oh ' if value < 10 else ''}{cardinal(value, rules)}"


@_sub(r"(?<![\w/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\w/])")
def numeric_dates(m: re.Match[str], rules: Rules) -> str:
    a, b = int(m.group("a")), int(m.group("b"))
    day, month = (a, b) if rules.british else (b, a)
    if month > 12 and day <= 12:
        day, month = month, day
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return m.group(0).replace("/", " slash ")
    full = int(m.group("y")) if len(m.group("y")) == 4 else 2000 + int(m.group("y"))
    return _say_date(day, month, full, rules)


@_sub(r"(?<![\w-])(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\w-])")
def iso_dates(m: re.Match[str], rules: Rules) -> str:
    return _say_date(int(m.group("d")), int(m.group("m")), int(m.group("y")), rules)


def _say_date(day: int, month: int, full_year: int | None, rules: Rules) -> str:
    name = MONTHS[month - 1]
    spoken = (
        f"the {ordinal(day, rules)} of {name}" if rules.british else f"{name} {ordinal(day, rules)}"
    )
    return f"{spoken} {year(full_year, rules)}" if full_year else spoken


@_sub(
    rf"(?<![\w.])(?:the\s+)?(?:(?P<d0>[0-3]?\d)(?:st|nd|rd|th)?\s?[-–]\s?)?"
    rf"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+of)?\s+{MONTH_PATTERN}"
    r"(?:,?\s+(?P<y>\d{4})\b)?"
)
def day_month(m: re.Match[str], rules: Rules) -> str:
    day = int(m.group("d"))
    if not 1 <= day <= 31:
        return m.group(0)
    spoken = f"the {ordinal(day, rules)} of {_month(m.group('month'))}"
    if m.group("d0"):
        spoken = f"the {ordinal(int(m.group('d0')), rules)} to {spoken}"
    return f"{spoken} {year(int(m.group('y')), rules)}" if m.group("y") else spoken


@_sub(
    rf"\b{MONTH_PATTERN}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!\s*(?:[:.]\d|%|\d))"
    r"(?:\s?[-–]\s?(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<y>\d{4})\b)?"
)
def month_day(m: re.Match[str], rules: Rules) -> str:
    day = int(m.group("d"))
    if not 1 <= day <= 31:
        return m.group(0)
    spoken = f"{_month(m.group('month'))} {ordinal(day, rules)}"
    if m.group("d2"):
        spoken += f" to {ordinal(int(m.group('d2')), rules)}"
    return f"{spoken}, {year(int(m.group('y')), rules)}" if m.group("y") else spoken


def _month(written: str) -> str:
    return MONTH_ABBREVIATIONS.get(written.rstrip("."), written.rstrip("."))


@_sub(r"(?<![\w.])(?:(?P<century>\d{2})|['’‘])(?P<decade>\d)0s\b")
def decades(m: re.Match[str], rules: Rules) -> str:
    decade = int(m.group("decade")) * 10
    if m.group("century") is None:
        return plural_number(cardinal(decade, rules)) if decade else "noughties"
    full = int(m.group("century")) * 100 + decade
    if full % 100 == 0:
        spoken = year(full, rules)
        return spoken.replace("hundred", "hundreds").replace("thousand", "thousands")
    return plural_number(year(full, rules))


@_sub(r"(?<![\w.,])(?P<a>\d{4})\s?[-–—]\s?(?P<b>\d{2}|\d{4})(?!\w|[.,]\d)")
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


@_sub(rf"(?<![\w.,])(?P<a>{NUM})\s?[-–—]\s?(?P<b>{NUM})(?!\w|[.,]\d)")
def ranges(m: re.Match[str], rules: Rules) -> str:
    """ "10-12", "10–12" -> "10 to 12"; the numbers themselves are read by later rules."""
    return f"{m.group('a')} to {m.group('b')}"


@_sub(
    r"(?<![\w+])(?P<phone>\+\d{1,3}(?:[\s-]?\(?\d{1,4}\)?){2,5}|\(?0\d{2,4}\)?(?:[\s-]?\d{3,4}){1,3})"
    r"(?![\w.]\d)"
)
def phone_numbers(m: re.Match[str], rules: Rules) -> str:
    """Telephone numbers are read digit by digit, zero as "oh"."""
    digits = re.sub(r"\D", "", m.group("phone"))
    plus = "plus " if m.group("phone").startswith("+") else ""
    return plus + " ".join("oh" if d == "0" else DIGITS[int(d)] for d in digits)


@_sub(r"(?<![\w.])(?P<n>\d+)(?P<letter>[A-Z])\b")
def house_numbers(m: re.Match[str], rules: Rules) -> str:
    """ "221B" -> "two hundred and twenty-one-B"."""
    return f"{cardinal(int(m.group('n')), rules)}-{m.group('letter')}"


@_sub(r"(?<![\w.])(?P<n>\d+)\s?(?P<suffix>st|nd|rd|th|ST|ND|RD|TH)\b")
def ordinals(m: re.Match[str], rules: Rules) -> str:
    return ordinal(int(m.group("n")), rules)


@_sub(r"(?<![\w./])(?P<whole>\d+)?\s?(?P<frac>[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])")
def unicode_fractions(m: re.Match[str], rules: Rules) -> str:
    top, bottom = UNICODE_FRACTIONS[m.group("frac")]
    spoken = _fraction(top, bottom, rules)
    if m.group("whole"):
        article = "a " if top == 1 else ""
        part = spoken.split(" ", 1)[1] if top == 1 else spoken
        return f"{cardinal(int(m.group('whole')), rules)} and {article}{part}"
    return spoken


@_sub(r"(?<![\w./])(?P<top>\d{1,3})/(?P<bottom>\d{1,3})(?![\w/])")
def fractions(m: re.Match[str], rules: Rules) -> str:
    top, bottom = int(m.group("top")), int(m.group("bottom"))
    if (top, bottom) == (24, 7) or bottom == 0:
        return f"{cardinal(top, rules)} {cardinal(bottom, rules)}"
    if bottom not in _FRACTION_DENOMINATORS or top >= bottom * 2:
        return f"{cardinal(top, rules)} out of {cardinal(bottom, rules)}"  # a score: 98/100
    return _fraction(top, bottom, rules)


_FRACTION_DENOMINATORS = frozenset({2, 3, 4, 5, 6, 8, 10, 12, 16, 32, 64})


def _fraction(top: int, bottom: int, rules: Rules) -> str:
    if bottom == 2:
        name = "half" if top == 1 else "halves"
    elif bottom == 4:
        name = "quarter" if top == 1 else "quarters"
    else:
        name = ordinal(bottom, rules) + ("" if top == 1 else "s")
    return f"{cardinal(top, rules) if top != 1 else 'one'} {name}"


_UNIT_NAMES = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
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


@_sub(
    rf"(?<![\w.])(?P<neg>[-−])?(?P<amount>{NUM})\s?(?P<unit>{_UNIT_NAMES})(?![\w/²])"
    r"(?=(?P<next>\s+\w+)?)"
)
def units(m: re.Match[str], rules: Rules) -> str:
    unit, amount = m.group("unit"), m.group("amount")
    following = m.group("next") or ""
    spoken = ("minus " if m.group("neg") else "") + number(amount, rules)
    if unit == "m" and _means_million(following):
        return f"{spoken} million"
    one, british, american = UNITS[unit]
    if amount == "1":
        name = one if rules.british else one.replace("metre", "meter").replace("litre", "liter")
    else:
        name = british if rules.british else american
    return f"{spoken} {name}"


def _means_million(following: str) -> bool:
    word = following.strip().lower()
    return word in _COUNTED or not word.startswith(METRE_CONTEXT)


@_sub(r"(?<![\w.])(?P<n>\d+)(?P<mult>bn|mn|tn|k)\b")
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
    return re.sub(
        rf"(?i:\b(?P<key>{keywords}))\s+(?P<num>{ROMAN_PATTERN})\b(?!['’]?\w)", counted, text
    )


def _roman(numeral: str) -> int:
    total = 0
    for here, after in zip(numeral, [*numeral[1:], " "], strict=True):
        value = ROMAN_VALUES[here]
        total += -value if after != " " and ROMAN_VALUES[after] > value else value
    return total


@_sub(r"(?<![\w.])(?P<sym>[#№])\s?(?=\d)")
def number_signs(m: re.Match[str], rules: Rules) -> str:
    return "number "


@_sub(r"(?<![\w.])(?P<neg>[-−])(?=\d)")
def negatives(m: re.Match[str], rules: Rules) -> str:
    return "minus "


@_sub(rf"(?<![\w])(?P<n>{NUM})(?P<tail>['’]?s)?(?![\d])")
def numbers(m: re.Match[str], rules: Rules) -> str:
    spoken = number(m.group("n"), rules)
    if m.group("tail"):
        return plural_number(spoken)
    return spoken


@_sub(r"\d")
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
    vowels = sum(1 for c in stem if c in "AEIOUY")
    if len(stem) >= 4 and vowels >= 2 and stem[:2] != "AA":
        return stem.capitalize() + possessive
    return spell_letters(stem) + possessive


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


@_sub(r"(?<![\w.])(?P<letter>[A-Z])(?P<n>[1-9]\d{0,2})(?![\w.,]\d|\w)")
def letter_numbers(m: re.Match[str], rules: Rules) -> str:
    """Roads, summits and aircraft: "M25" -> "M twenty-five", "G7" -> "G seven"."""
    return f"{m.group('letter')} {cardinal(int(m.group('n')), rules)}"


@_sub(rf"(?<![\w.])(?P<neg>[-−])?(?P<amount>{NUM})(?P<scale>[CF])\b")
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
@_sub(r"(?<![\w.-])(?P<initials>(?:[A-Z]\.\s*){1,4})(?=[A-Z][a-z])")
def initials(m: re.Match[str], rules: Rules) -> str:
    return "-".join(re.findall(r"[A-Z]", m.group("initials"))) + " "


def symbols(text: str, rules: Rules) -> str:
    text = re.sub(r"\band/or\b", "and or", text)
    text = re.sub(r"#(?=[A-Za-z])", "hashtag ", text)
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
    emails,
    domains,
    abbreviations,
    initials,
    times_with_meridiem,
    times_24h,
    money,
    pence,
    percentages,
    temperatures,
    phone_numbers,
    numeric_dates,
    iso_dates,
    day_month,
    month_day,
    decades,
    year_ranges,
    ranges,
    ordinals,
    unicode_fractions,
    fractions,
    units,
    bare_multipliers,
    house_numbers,
    letter_numbers,
    roman_numerals,
    number_signs,
    negatives,
    numbers,
    stray_digits,
    capitals,
    unicode_dashes,
    symbols,
)
