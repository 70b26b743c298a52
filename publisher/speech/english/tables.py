"""The tables the English rules read: abbreviations, units, currencies, names, symbols."""

from __future__ import annotations

import re

from publisher.speech.english.words import Variant

# --- tables -----------------------------------------------------------------------------

# Abbreviations that always expand the same way. Titles are only expanded before a name.
TITLES = {
    "Mr": "Mister",
    "Mrs": "Missus",
    "Ms": "Miz",
    "Messrs": "Messieurs",
    "Prof": "Professor",
    "Rev": "Reverend",
    "Revd": "Reverend",
    "Gen": "General",
    "Lt Col": "Lieutenant Colonel",
    "Lt Gen": "Lieutenant General",
    "Maj Gen": "Major General",
    "Brig Gen": "Brigadier General",
    "Lt Cdr": "Lieutenant Commander",
    "Lt": "Lieutenant",
    "Col": "Colonel",
    "Maj": "Major",
    "Capt": "Captain",
    "Cpl": "Corporal",
    "Sgt": "Sergeant",
    "Pte": "Private",
    "Pvt": "Private",
    "Adm": "Admiral",
    "Cdr": "Commander",
    "Cmdr": "Commander",
    "Gov": "Governor",
    "Sen": "Senator",
    "Rep": "Representative",
    "Supt": "Superintendent",
    "Insp": "Inspector",
    "Det": "Detective",
    "Fr": "Father",
    "Sr": "Sister",
    "Hon": "Honourable",
    "Mme": "Madame",
    "Mlle": "Mademoiselle",
    "Mt": "Mount",
    "Ft": "Fort",
    "Pres": "President",
}
# Abbreviations expanded wherever they stand (with their full stops as written).
ALWAYS = {
    "e.g.": "for example",
    "eg.": "for example",
    "i.e.": "that is",
    "ie.": "that is",
    "etc.": "et cetera",
    "vs.": "versus",
    "vs": "versus",
    "v.": "versus",
    "cf.": "compare",
    "approx.": "approximately",
    "ca.": "circa",
    "c.": "circa",
    "et al.": "and others",
    "a.k.a.": "also known as",
    "aka": "also known as",
    "n.b.": "note",
    "N.B.": "note",
    "Jr.": "Junior",
    "Jr": "Junior",
    "Sr.": "Senior",
    "Snr": "Senior",
    "Jnr": "Junior",
    "Bros.": "Brothers",
    "Co.": "Company",
    "Corp.": "Corporation",
    "Inc.": "Incorporated",
    "Ltd": "Limited",
    "Ltd.": "Limited",
    "plc": "P-L-C",
    "PLC": "P-L-C",
    "Dept.": "Department",
    "dept.": "department",
    "Univ.": "University",
    "Ave.": "Avenue",
    "Rd.": "Road",
}
# Abbreviations that only stand before a number.
BEFORE_NUMBER = {
    "No.": "number",
    "Nos.": "numbers",
    "no.": "number",
    "p.": "page",
    "pp.": "pages",
    "vol.": "volume",
    "Vol.": "volume",
    "vols.": "volumes",
    "ch.": "chapter",
    "Ch.": "chapter",
    "fig.": "figure",
    "Fig.": "figure",
    "para.": "paragraph",
    "sec.": "section",
    "art.": "article",
    "Art.": "article",
    "ed.": "edition",
    "§": "section",
    "§§": "sections",
}

UNITS: dict[str, tuple[str, str, str]] = {
    # written: (singular, British plural, American plural)
    "km": ("kilometre", "kilometres", "kilometers"),
    "m": ("metre", "metres", "meters"),
    "cm": ("centimetre", "centimetres", "centimeters"),
    "mm": ("millimetre", "millimetres", "millimeters"),
    "kg": ("kilogram", "kilograms", "kilograms"),
    "g": ("gram", "grams", "grams"),
    "mg": ("milligram", "milligrams", "milligrams"),
    "t": ("tonne", "tonnes", "tons"),
    "l": ("litre", "litres", "liters"),
    "ml": ("millilitre", "millilitres", "milliliters"),
    "km/h": ("kilometre per hour", "kilometres per hour", "kilometers per hour"),
    "kph": ("kilometre per hour", "kilometres per hour", "kilometers per hour"),
    "mph": ("mile per hour", "miles per hour", "miles per hour"),
    "ft": ("foot", "feet", "feet"),
    "in.": ("inch", "inches", "inches"),
    "mi": ("mile", "miles", "miles"),
    "yd": ("yard", "yards", "yards"),
    "lb": ("pound", "pounds", "pounds"),
    "lbs": ("pound", "pounds", "pounds"),
    "oz": ("ounce", "ounces", "ounces"),
    "st": ("stone", "stone", "stone"),
    "°C": ("degree Celsius", "degrees Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees", "degrees"),
    "kW": ("kilowatt", "kilowatts", "kilowatts"),
    "MW": ("megawatt", "megawatts", "megawatts"),
    "GW": ("gigawatt", "gigawatts", "gigawatts"),
    "kWh": ("kilowatt hour", "kilowatt hours", "kilowatt hours"),
    "W": ("watt", "watts", "watts"),
    "V": ("volt", "volts", "volts"),
    "Hz": ("hertz", "hertz", "hertz"),
    "kHz": ("kilohertz", "kilohertz", "kilohertz"),
    "MHz": ("megahertz", "megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz", "gigahertz"),
    "KB": ("kilobyte", "kilobytes", "kilobytes"),
    "MB": ("megabyte", "megabytes", "megabytes"),
    "GB": ("gigabyte", "gigabytes", "gigabytes"),
    "TB": ("terabyte", "terabytes", "terabytes"),
    "ms": ("millisecond", "milliseconds", "milliseconds"),
    "sec": ("second", "seconds", "seconds"),
    "secs": ("second", "seconds", "seconds"),
    "min": ("minute", "minutes", "minutes"),
    "mins": ("minute", "minutes", "minutes"),
    "hr": ("hour", "hours", "hours"),
    "hrs": ("hour", "hours", "hours"),
    "ha": ("hectare", "hectares", "hectares"),
    "tbsp": ("tablespoon", "tablespoons", "tablespoons"),
    "tsp": ("teaspoon", "teaspoons", "teaspoons"),
    "sq m": ("square metre", "square metres", "square meters"),
    "sq km": ("square kilometre", "square kilometres", "square kilometers"),
    "km2": ("square kilometre", "square kilometres", "square kilometers"),
    "m2": ("square metre", "square metres", "square meters"),
    "m²": ("square metre", "square metres", "square meters"),
    "km²": ("square kilometre", "square kilometres", "square kilometers"),
    "cm²": ("square centimetre", "square centimetres", "square centimeters"),
    "ft²": ("square foot", "square feet", "square feet"),
    "m³": ("cubic metre", "cubic metres", "cubic meters"),
    "km³": ("cubic kilometre", "cubic kilometres", "cubic kilometers"),
    "cm³": ("cubic centimetre", "cubic centimetres", "cubic centimeters"),
    "cc": ("cubic centimetre", "cubic centimetres", "cubic centimeters"),
    "KG": ("kilogram", "kilograms", "kilograms"),
    "Kg": ("kilogram", "kilograms", "kilograms"),
    "KM": ("kilometre", "kilometres", "kilometers"),
    "CM": ("centimetre", "centimetres", "centimeters"),
    "LBS": ("pound", "pounds", "pounds"),
    "kbps": ("kilobit per second", "kilobits per second", "kilobits per second"),
    "Kbps": ("kilobit per second", "kilobits per second", "kilobits per second"),
    "mbps": ("megabit per second", "megabits per second", "megabits per second"),
    "Mbps": ("megabit per second", "megabits per second", "megabits per second"),
    "gbps": ("gigabit per second", "gigabits per second", "gigabits per second"),
    "Gbps": ("gigabit per second", "gigabits per second", "gigabits per second"),
    "ºC": ("degree Celsius", "degrees Celsius", "degrees Celsius"),
    "ºF": ("degree Fahrenheit", "degrees Fahrenheit", "degrees Fahrenheit"),
    "º": ("degree", "degrees", "degrees"),
}
# A bare "m" after a number means million in journalism ("5m people") but metres after
# these words ("a 100m sprint", "20m high").
METRE_CONTEXT = (
    "sprint",
    "race",
    "hurdles",
    "freestyle",
    "butterfly",
    "breaststroke",
    "backstroke",
    "relay",
    "dash",
    "high",
    "long",
    "tall",
    "wide",
    "deep",
    "away",
    "from",
    "above",
    "below",
    "of",
    "in",
    "to",
    "under",
    "over",
    "across",
    "drop",
    "fall",
    "swim",
    "run",
    "walk",
    "depth",
    "height",
    "width",
)

# Words before a number that make a bare "m" metres: "ran 5m", "a drop of 20m".
METRE_BEFORE = frozenset(
    "ran run runs running swam swim swims walked walk jumped jump threw throw thrown fell fall"
    " falls dropped drop climbed climb dived dive rose rise sank sink measured measures measuring"
    " stood stands reached reaches spans span sprint sprinted metres meters".split()
)

CURRENCIES = {
    "£": ("pound", "pounds", "penny", "pence"),
    "$": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "¥": ("yen", "yen", "sen", "sen"),
    "₹": ("rupee", "rupees", "paisa", "paise"),
    "US$": ("US dollar", "US dollars", "cent", "cents"),
    "A$": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "C$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "₩": ("won", "won", "jeon", "jeon"),
}
MULTIPLIERS = {
    "k": "thousand",
    "m": "million",
    "mn": "million",
    "bn": "billion",
    "b": "billion",
    "tn": "trillion",
    "thousand": "thousand",
    "million": "million",
    "billion": "billion",
    "trillion": "trillion",
}

# All-capital words read letter by letter, whatever their vowels.
SPELLED = frozenset(
    """
US USA UK UN EU BBC CNN ITV NBC CBS ABC FBI CIA KGB MI5 MI6 NHS GP GPs MP MPs PM QC KC CEO CEOs
CFO COO CTO GDP GNP DNA RNA TV PC PCs PR IRA UVF IDF RAF RN USAF NYPD LAPD UFO UFOs VIP VIPs ID
IDs AI HIV BMW IBM ATM ATMs SUV SUVs DVD DVDs CD CDs PDF URL HTML USB GPS IQ IOU RSVP ASAP UAE
OECD IMF WTO ECB ONS IPO WMD WMDs EC ECJ ICC ICJ WWF RSPCA RNLI BT BP HSBC RBS IT HR PhD PhDs
MA BA BSc MSc MBA MD DJ DJs MC OK UCL LSE MIT UCLA NYU USSR GDR FA FC NFL NBA MLB NHL IOC
WHO PA AP AFP CPR ICU A&E DIY BBQ TNT ANC SNP DUP SDLP LGBT LGBTQ EV EVs LED LEDs CO2 UV UN's
""".split()
)
# Written in capitals for emphasis ("I said NO"), these are words, not initialisms.
COMMON_WORDS = frozenset(
    """
a an the and or but if so no not yes yeah oh ah now then here there this that these those what
why how who when where which all any some none one two ten me my you your he him his she her it
its we our they them their am is are was were be been do does did don't can can't will won't
shall should must may might could would have has had get got go went stop help wait look see
say said tell told run come came never ever always very much more most less just only still
also too again out off up down in on at by for from with into over under about after before
love hate kill dead let hey wow ouch oops boo pow bang hush well okay real true false new
old big bad good best mine ours yours hers
""".split()
)
# Ambiguous capitals spelled only after "the": "the WHO", "the IT department".
SPELLED_AFTER_THE = frozenset({"WHO", "IT"})

# Names whose spoken form no rule could find.
SPOKEN_NAMES = {
    "FTSE": "Footsie",
    "Covid-19": "Covid nineteen",
    "COVID-19": "Covid nineteen",
    "iPhone": "iPhone",
    "Nasdaq": "Nasdaq",
    "NASDAQ": "Nasdaq",
    "Xbox": "Xbox",
}

# All-capital words said as words.
SAID_AS_WORDS = frozenset(
    """
NATO UNESCO UNICEF NASA AIDS NAFTA OPEC FIFA UEFA SARS COVID LASER RADAR SCUBA NIMBY OFSTED
OFCOM OFGEM IKEA ISIS ASEAN EFTA GATT INTERPOL MERCOSUR SWAT UNIFIL ACAS DEFRA NICE ASDA
TESCO SONAR ANZAC APEC BAFTA OXFAM FEMA NOAA QUANGO ERNIE PIN GIF JPEG WASP YOLO ASCII
""".split()
)

REGNAL_NAMES = frozenset(
    """
Henry Edward George William Elizabeth Charles James Louis Richard John Paul Pius Leo Benedict
Gregory Innocent Clement Alexander Peter Catherine Frederick Philip Mary Anne Victoria Nicholas
Ivan Gustav Gustavus Christian Olaf Haakon Harald Carl Ferdinand Francis Franz Joseph Leopold
Otto Rudolph Wilhelm Ludwig Maximilian Napoleon Constantine Justinian Boniface Urban Sixtus
Julius Adrian Stephen David Malcolm Robert Alfonso Juan Felipe Carlos Manuel Pedro Sancho Umberto
Vittorio Amadeus Rama Mohammed Hassan Abdullah Hussein Farouk Fuad Selim Suleiman Mehmed Murad
""".split()
)
ROMAN_KEYWORDS = (
    "chapter",
    "part",
    "book",
    "volume",
    "vol.",
    "act",
    "scene",
    "war",
    "phase",
    "stage",
    "level",
    "class",
    "grade",
    "type",
    "article",
    "section",
    "appendix",
    "psalm",
    "canto",
    "series",
    "season",
    "episode",
    "bowl",
    "apollo",
    "vatican",
    "schedule",
    "title",
    "annex",
    "division",
    "league",
    "category",
    "mark",
    "mk",
)

ROMAN_PATTERN = r"(?=[MDCLXVI])M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})"
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

SYMBOLS = {
    "&": " and ",
    "+": " plus ",
    "=": " equals ",
    "×": " times ",
    "÷": " divided by ",
    "@": " at ",
    "%": " per cent ",
    "‰": " per mille ",
    "©": " copyright ",
    "®": " registered ",
    "™": " trademark ",
    "°": " degrees ",
    "±": " plus or minus ",
    "→": " to ",
    "½": " a half ",
    "¼": " a quarter ",
    "¾": " three quarters ",
    "<": " less than ",
    ">": " more than ",
    "§": " section ",
    "¶": " paragraph ",
    "#": " hash ",
    "/": " slash ",
    "~": " ",
    "*": " ",
    "_": " ",
    "^": " ",
    "|": " ",
    "\\": " ",
    "[": " ",
    "]": " ",
    "{": " ",
    "}": " ",
    "`": " ",
    "•": " ",
    "·": " ",
}
UNICODE_FRACTIONS = {
    "½": (1, 2),
    "⅓": (1, 3),
    "⅔": (2, 3),
    "¼": (1, 4),
    "¾": (3, 4),
    "⅕": (1, 5),
    "⅖": (2, 5),
    "⅗": (3, 5),
    "⅘": (4, 5),
    "⅙": (1, 6),
    "⅚": (5, 6),
    "⅛": (1, 8),
    "⅜": (3, 8),
    "⅝": (5, 8),
    "⅞": (7, 8),
}
BRITISH_SPELLINGS = frozenset(
    """
colour colours coloured favour favourite honour honours labour neighbour neighbours harbour
behaviour centre centres theatre metre metres litre realise realised organise organised
recognise recognised apologise travelled travelling cancelled grey programme defence licence
catalogue analyse whilst amongst towards mum jewellery tyre kerb cheque pyjamas aluminium
""".split()
)
AMERICAN_SPELLINGS = frozenset(
    """
color colors colored favor favorite honor honors labor neighbor neighbors harbor behavior
center centers theater meter meters liter realize realized organize organized recognize
recognized apologize traveled traveling canceled gray program defense license catalog analyze
mom jewelry tire curb check pajamas aluminum
""".split()
)


def guess_variant(text: str) -> Variant:
    """British or American, by the spellings a manuscript uses; American when it is a tie."""
    words = re.findall(r"[a-z]+", text.lower())
    british = sum(1 for w in words if w in BRITISH_SPELLINGS)
    american = sum(1 for w in words if w in AMERICAN_SPELLINGS)
    return "en-GB" if british > american else "en-US"


# Units written after a slash: "$20/mo", "12 kg/m", "3 cc/s" (singular names).
PER_UNITS = {
    "s": "second",
    "sec": "second",
    "min": "minute",
    "h": "hour",
    "hr": "hour",
    "d": "day",
    "day": "day",
    "wk": "week",
    "week": "week",
    "mo": "month",
    "month": "month",
    "yr": "year",
    "year": "year",
    "night": "night",
    "person": "person",
    "head": "head",
    "kg": "kilogram",
    "g": "gram",
    "lb": "pound",
    "km": "kilometre",
    "m": "metre",
    "mi": "mile",
    "l": "litre",
    "hour": "hour",
    "minute": "minute",
    "second": "second",
}
# Street types: after a house number and a name they mark a street address.
STREET_TYPES = {
    "St": "Street",
    "Street": "Street",
    "Ave": "Avenue",
    "Av": "Avenue",
    "Avenue": "Avenue",
    "Rd": "Road",
    "Road": "Road",
    "Blvd": "Boulevard",
    "Boulevard": "Boulevard",
    "Dr": "Drive",
    "Drive": "Drive",
    "Ln": "Lane",
    "Lane": "Lane",
    "Ct": "Court",
    "Court": "Court",
    "Pl": "Place",
    "Place": "Place",
    "Sq": "Square",
    "Square": "Square",
    "Ter": "Terrace",
    "Terrace": "Terrace",
    "Cir": "Circle",
    "Circle": "Circle",
    "Pkwy": "Parkway",
    "Parkway": "Parkway",
    "Hwy": "Highway",
    "Highway": "Highway",
    "Expy": "Expressway",
    "Expressway": "Expressway",
    "Fwy": "Freeway",
    "Way": "Way",
    "Cres": "Crescent",
    "Crescent": "Crescent",
    "Gdns": "Gardens",
    "Gardens": "Gardens",
    "Row": "Row",
    "Close": "Close",
    "Mews": "Mews",
}
COMPASS = {
    "N": "North",
    "S": "South",
    "E": "East",
    "W": "West",
    "NE": "Northeast",
    "NW": "Northwest",
    "SE": "Southeast",
    "SW": "Southwest",
}
US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming", "DC": "D-C", "PR": "Puerto Rico",
}  # fmt: skip
TIME_ZONES = frozenset(
    "EST EDT CST CDT MST MDT PST PDT AKST HST GMT BST UTC CET CEST EET EEST IST JST AEST AEDT"
    " ACST AWST NZST NZDT".split()
)
# Eras after (or before) a year: "340 AD", "AD 79", "500 BCE".
ERAS = {"AD": "A-D", "BC": "B-C", "BCE": "B-C-E", "CE": "C-E"}
# Words after which a number is a code read digit by digit: "card ending in 8876".
DIGIT_CONTEXT = (
    "ending in",
    "ending with",
    "ends in",
    "pin",
    "pin code",
    "passcode",
    "security code",
    "zip",
    "zip code",
    "postcode",
    "account",
    "account number",
    "card number",
    "extension",
    "ext.",
    "reference",
    "reference number",
    "ref",
    "pnr",
    "serial number",
    "order number",
    "confirmation number",
    "tracking number",
    "code",
    "sort code",
)
# Words that make a following "NNN-NNNN" a telephone number, not a range.
PHONE_CONTEXT = (
    "call",
    "calls",
    "called",
    "calling",
    "phone",
    "telephone",
    "tel",
    "tel.",
    "fax",
    "dial",
    "dialled",
    "dialed",
    "ring",
    "text",
    "hotline",
    "helpline",
    "mobile",
    "cell",
    "number",
    "reach",
    "contact",
)
# Words around "3-1" that make it a score ("won 3-1", "a 2-0 win"), not a range.
SCORE_BEFORE = (
    "won", "win", "wins", "beat", "beats", "lost", "lose", "loses", "drew", "draw", "drawn",
    "led", "lead", "leads", "trail", "trailed", "trailing", "score", "scored", "scoring",
    "finished", "ended", "victory", "defeat", "defeated", "thrashed", "edged", "tied",
)  # fmt: skip
SCORE_AFTER = (
    "win", "victory", "defeat", "loss", "draw", "lead", "scoreline", "thrashing", "home win",
    "away win", "triumph", "success", "tie", "result",
)  # fmt: skip
# Names of file types said as words, not letters.
FILE_TYPES = {"jpg": "jpeg", "jpeg": "jpeg", "gif": "gif", "txt": "text", "docx": "docx"}
# Currency signs said on their own, where no amount follows.
CURRENCY_NAMES = {
    "$": "dollar",
    "£": "pound",
    "€": "euro",
    "¥": "yen",
    "₩": "won",
    "₹": "rupee",
}
