"""What the narrator says for numbers, money, dates, abbreviations and symbols."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.speech.english import guess_variant
from publisher.speech.normalize import Normalizer

GB = Normalizer("en-GB", "en-GB")

US = Normalizer("en-US", "en-US")

# (written, British reading, American reading or None when both are the same)
CASES: dict[str, list[tuple[str, str, str | None]]] = {
    "cardinals": [
        ("3 cats", "three cats", None),
        ("12 days", "twelve days", None),
        ("105 pages", "one hundred and five pages", "one hundred five pages"),
        (
            "1,234 people",
            "one thousand two hundred and thirty-four people",
            "one thousand two hundred thirty-four people",
        ),
        ("1,000,000 stars", "one million stars", None),
        (
            "999 balloons",
            "nine hundred and ninety-nine balloons",
            "nine hundred ninety-nine balloons",
        ),
        ("0 goals", "zero goals", None),
        ("It had 21 rooms.", "It had twenty-one rooms.", None),
        ("2,500 runners", "two thousand five hundred runners", None),
        ("40,000 fans", "forty thousand fans", None),
        ("He owned 7.", "He owned seven.", None),
        ("007", "oh oh seven", None),
    ],
    "decimals and negatives": [
        ("3.5 goals", "three point five goals", None),
        ("28.9 inches", "twenty-eight point nine inches", None),
        ("0.25 litres", "zero point two five litres", None),
        ("pi is 3.14159", "pi is three point one four one five nine", None),
        ("It fell to -5.", "It fell to minus five.", None),
        ("-2.7 overnight", "minus two point seven overnight", None),
        ("a rise of 1.5", "a rise of one point five", None),
        ("temperatures of −3", "temperatures of minus three", None),
    ],
    "fractions": [
        ("1/2 a cup", "one half a cup", None),
        ("3/4 of voters", "three quarters of voters", None),
        ("2/3 of them", "two thirds of them", None),
        ("5/8 inch", "five eighths inch", None),
        ("1/3", "one third", None),
        ("1½ cups", "one and a half cups", None),
        ("¾ full", "three quarters full", None),
        ("open 24/7", "open twenty-four seven", None),
        ("2¼ miles", "two and a quarter miles", None),
    ],
    "ordinals": [
        ("1st place", "first place", None),
        ("21st century", "twenty-first century", None),
        ("103rd birthday", "one hundred and third birthday", "one hundred third birthday"),
        ("the 2nd time", "the second time", None),
        ("his 40th", "his fortieth", None),
        ("the 11th hour", "the eleventh hour", None),
        ("the 12th man", "the twelfth man", None),
        ("the 3rd", "the third", None),
        ("the 100th", "the one hundredth", None),
        ("22nd", "twenty-second", None),
    ],
    "ranges": [
        ("1990-95", "nineteen ninety to ninety-five", None),
        ("1990–1995", "nineteen ninety to nineteen ninety-five", None),
        ("10–12 people", "ten to twelve people", None),
        ("pages 4-9", "pages four to nine", None),
        ("aged 18-25", "aged eighteen to twenty-five", None),
        (
            "from 2001-2005",
            "from two thousand and one to two thousand and five",
            "from two thousand one to two thousand five",
        ),
        ("3-4 times", "three to four times", None),
        ("1914-18", "nineteen fourteen to eighteen", None),
    ],
    "units and hyphens": [
        ("a 16-year-old", "a sixteen-year-old", None),
        ("5 km", "five kilometres", "five kilometers"),
        ("1 km", "one kilometre", "one kilometer"),
        ("-5°C", "minus five degrees Celsius", None),
        ("28.9 inches", "twenty-eight point nine inches", None),
        ("10 kg", "ten kilograms", None),
        ("70 mph", "seventy miles per hour", None),
        ("100 km/h", "one hundred kilometres per hour", "one hundred kilometers per hour"),
        ("6 ft", "six feet", None),
        ("2 lb", "two pounds", None),
        ("3 l of water", "three litres of water", "three liters of water"),
        ("a 3-day trip", "a three-day trip", None),
        ("20 cm", "twenty centimetres", "twenty centimeters"),
        ("40°F", "forty degrees Fahrenheit", None),
        ("5 MW", "five megawatts", None),
        ("500 GB", "five hundred gigabytes", None),
        ("the 100m sprint", "the one hundred metres sprint", "the one hundred meters sprint"),
        ("5m people", "five million people", None),
        ("a $48.5 million terminal", "a forty-eight point five million dollar terminal", None),
        ("a $5 or $10 tip", "a five dollars or ten dollars tip", None),
        ("the ACLU and NAACP", "the A-C-L-U and N-A-A-C-P", None),
        ("2.5m tall", "two point five metres tall", "two point five meters tall"),
        ("a 200-page report", "a two hundred-page report", None),
    ],
    "years and decades": [
        ("in 1991", "in nineteen ninety-one", None),
        ("in 2004", "in two thousand and four", "in two thousand four"),
        ("in 2010", "in twenty ten", None),
        ("in 2024", "in twenty twenty-four", None),
        ("in 1905", "in nineteen oh five", None),
        ("in 1900", "in nineteen hundred", None),
        ("in 1066", "in ten sixty-six", None),
        ("since 2000", "since two thousand", None),
        ("the 1880s", "the eighteen eighties", None),
        ("the '90s", "the nineties", None),
        ("the 1990s", "the nineteen nineties", None),
        ("the 60s", "the sixties", None),
        ("the 1900s", "the nineteen hundreds", None),
        ("the ’70s", "the seventies", None),
        ("the 2020s", "the twenty twenties", None),
    ],
    "dates": [
        ("on 7 November", "on the seventh of November", None),
        (
            "on November 7, 2004",
            "on November seventh, two thousand and four",
            "on November seventh, two thousand four",
        ),
        ("the 14th of March", "the fourteenth of March", None),
        (
            "7 November 2004",
            "the seventh of November two thousand and four",
            "the seventh of November two thousand four",
        ),
        ("on 1 January", "on the first of January", None),
        ("March 3rd", "March third", None),
        ("on 31 Dec.", "on the thirty-first of December", None),
        ("Sept. 11", "September eleventh", None),
        (
            "on 2004-11-07",
            "on the seventh of November two thousand and four",
            "on November seventh two thousand four",
        ),
        (
            "on 7/11/2004",
            "on the seventh of November two thousand and four",
            "on July eleventh two thousand four",
        ),
        ("25 December 1991", "the twenty-fifth of December nineteen ninety-one", None),
        ("in May 2010", "in May twenty ten", None),
        ("July 4", "July fourth", None),
        ("the 4th of July", "the fourth of July", None),
    ],
    "times": [
        ("at 10:30 am", "at ten thirty A-M", None),
        ("at 2.15 a.m.", "at two fifteen A-M.", None),
        ("at 11:40 p.m.", "at eleven forty P-M.", None),
        ("at 7:00", "at seven o'clock", None),
        ("at 9:05", "at nine oh five", None),
        ("at 18:45", "at eighteen forty-five", None),
        ("at 5 pm", "at five P-M", None),
        ("at 6 a.m., then", "at six A-M, then", None),
        ("at 12:15 PM", "at twelve fifteen P-M", None),
        ("by 23:00", "by twenty-three hundred", None),
        ("at 3pm", "at three P-M", None),
        ("the 8.30 train", "the eight point three zero train", None),
    ],
    "money": [
        ("£20m", "twenty million pounds", None),
        ("$3.50", "three dollars fifty cents", None),
        ("€5bn", "five billion euros", None),
        ("10p", "ten pence", None),
        ("£3.50", "three pounds fifty", None),
        ("£1", "one pound", None),
        ("$1", "one dollar", None),
        ("$1,200", "one thousand two hundred dollars", None),
        ("£0.50", "fifty pence", None),
        ("$2.5bn", "two point five billion dollars", None),
        ("€10", "ten euros", None),
        ("£1.2 million", "one point two million pounds", None),
        ("$100k", "one hundred thousand dollars", None),
        ("50c", "fifty cents", None),
        ("¥500", "five hundred yen", None),
        ("US$5", "five U-S dollars", None),
        ("$0.99", "ninety-nine cents", None),
        ("£5.05", "five pounds five pence", None),
    ],
    "percentages": [
        ("50%", "fifty per cent", "fifty percent"),
        ("92 per cent", "ninety-two per cent", "ninety-two percent"),
        ("3.5%", "three point five per cent", "three point five percent"),
        ("100 percent", "one hundred per cent", "one hundred percent"),
        ("-2%", "minus two per cent", "minus two percent"),
        ("a 5% rise", "a five per cent rise", "a five percent rise"),
    ],
    "abbreviations and titles": [
        ("Mr Smith", "Mister Smith", None),
        ("Mr. Smith", "Mister Smith", None),
        ("Mrs Jones", "Missus Jones", None),
        ("Ms. Lee", "Miz Lee", None),
        ("Dr Ahmed", "Doctor Ahmed", None),
        ("Dr. Who", "Doctor Who", None),
        ("St Paul's", "Saint Paul's", None),
        ("St. Andrews", "Saint Andrews", None),
        ("Baker St. in London", "Baker Street in London", None),
        ("Mulberry Dr. today", "Mulberry Drive today", None),
        ("Lt Col Jones", "Lieutenant Colonel Jones", None),
        ("Gen. Patton", "General Patton", None),
        ("Sgt. Pepper", "Sergeant Pepper", None),
        ("Prof. Plum", "Professor Plum", None),
        ("Rev. Green", "Reverend Green", None),
        ("Capt. Hook", "Captain Hook", None),
        ("No. 10", "number ten", None),
        ("p. 5", "page five", None),
        ("pp. 10-12", "pages ten to twelve", None),
        ("vol. 3", "volume three", None),
        ("e.g. apples", "for example apples", None),
        ("i.e. pears", "that is pears", None),
        ("apples, pears, etc.", "apples, pears, et cetera", None),
        ("red vs. blue", "red versus blue", None),
        ("Mt. Everest", "Mount Everest", None),
        ("Martin Luther King Jr.", "Martin Luther King Junior", None),
        ("fig. 4", "figure four", None),
        ("approx. 40", "approximately forty", None),
        ("Smith & Co.", "Smith and Company", None),
        ("Gov. Brown", "Governor Brown", None),
        ("Sen. Warren", "Senator Warren", None),
    ],
    "initialisms and acronyms": [
        ("the US", "the U-S", None),
        ("the UN", "the U-N", None),
        ("WMD", "W-M-D", None),
        ("the BBC", "the B-B-C", None),
        ("NATO", "Nato", None),
        ("UNESCO", "Unesco", None),
        ("NASA", "Nasa", None),
        ("the U.S.", "the U-S", None),
        ("the U.K. economy", "the U-K economy", None),
        ("the FBI and CIA", "the F-B-I and C-I-A", None),
        ("the NHS", "the N-H-S", None),
        ("the BBC's report", "the B-B-C's report", None),
        ("two MPs", "two M-P's", None),
        ("a PhD", "a P-H-D", None),
        ("CO2 levels", "C-O two levels", None),
        ("AIDS", "Aids", None),
        ("FIFA", "Fifa", None),
        ("the EU", "the E-U", None),
        ("a CEO", "a C-E-O", None),
        ("an IKEA", "an Ikea", None),
        ("TV", "T-V", None),
        ("US TROOPS LEAVE IRAQ", "U-S troops leave iraq", None),
        ("NATO LEADERS MEET IN PARIS", "Nato leaders meet in paris", None),
        ("I went", "I went", None),
        ("OK then", "O-K then", None),
        ("the DVLA", "the D-V-L-A", None),
    ],
    "roman numerals": [
        ("Chapter IV", "Chapter Four", None),
        ("Henry VIII", "Henry the Eighth", None),
        ("World War II", "World War Two", None),
        ("Elizabeth II", "Elizabeth the Second", None),
        ("Louis XIV", "Louis the Fourteenth", None),
        ("Part III", "Part Three", None),
        ("Pope John Paul II", "Pope John Paul the Second", None),
        ("Act V", "Act Five", None),
        ("I think", "I think", None),
        ("mix it", "mix it", None),
        ("Super Bowl LVII", "Super Bowl Fifty-Seven", None),
        ("Volume XII", "Volume Twelve", None),
        ("the CIVIL war", "the Civil war", None),
        ("I said NO", "I said no", None),
        ("the WHO said", "the W-H-O said", None),
        ("WHO said that?", "who said that?", None),
    ],
    "urls and email": [
        ("see https://www.example.com", "see example dot com", None),
        ("visit bbc.co.uk/news", "visit bbc dot co dot uk slash news", None),
        ("write to jo@example.org", "write to jo at example dot org", None),
        ("at https://example.com/a-b/", "at example dot com slash a dash b", None),
        ("email first.last@mail.co.uk", "email first dot last at mail dot co dot uk", None),
        ("go to www.gov.uk", "go to gov dot uk", None),
        ("http://site.io/v2", "site dot io slash v two", None),
    ],
    "symbols": [
        ("salt & pepper", "salt and pepper", None),
        ("2 + 2 = 4", "two plus two equals four", None),
        ("#1 hit", "number one hit", None),
        ("#MeToo", "hashtag MeToo", None),
        ("and/or", "and or", None),
        ("either/or", "either slash or", None),
        ("R&D", "R-and-D", None),
        ("A&E", "A-and-E", None),
        ("3 × 4", "three times four", None),
        ("© 2024", "copyright twenty twenty-four", None),
        ("temp < 5", "temp less than five", None),
        ("meet @ noon", "meet at noon", None),
        ("a *bold* claim", "a bold claim", None),
        ("§ 4", "section four", None),
    ],
    "house style": [
        ("the M25", "the M twenty-five", None),
        ("the G7 summit", "the G seven summit", None),
        ("reached 40.3C", "reached forty point three degrees Celsius", None),
        ("on May 19-21", "on May nineteenth to twenty-first", None),
        ("from 19-21 May", "from the nineteenth to the twenty-first of May", None),
        ("scored 98/100", "scored ninety-eight out of one hundred", None),
        (
            "fell to 482.5p",
            "fell to four hundred and eighty-two point five pence",
            "fell to four hundred eighty-two point five pence",
        ),
        ("the FTSE 100", "the Footsie one hundred", None),
        ("Mr and Mrs Dursley", "Mister and Missus Dursley", None),
        ("by T. Egerton", "by T Egerton", None),
        ("takes 4hrs 30mins", "takes four hours thirty minutes", None),
        ("2 tbsp of sugar", "two tablespoons of sugar", None),
        ("Covid-19 cases", "Covid nineteen cases", None),
        ("J. K. Rowling", "J-K Rowling", None),
        ("It was 5 p.m. Then he left.", "It was five P-M. Then he left.", None),
        ("The BBC. Then more.", "The B-B-C. Then more.", None),
        ("Room 4B. Bring lunch.", "Room four-B. Bring lunch.", None),
    ],
    "sentences from the wild": [
        (
            "The £1.5bn scheme, announced on 3 March, will create 2,000 jobs by 2030.",
            "The one point five billion pounds scheme, announced on the third of March, will create "
            "two thousand jobs by twenty thirty.",
            "The one point five billion pounds scheme, announced on the third of March, will create "
            "two thousand jobs by twenty thirty.",
        ),
        (
            "Dr. Patel, 45, said the NHS had seen a 12% rise.",
            "Doctor Patel, forty-five, said the N-H-S had seen a twelve per cent rise.",
            "Doctor Patel, forty-five, said the N-H-S had seen a twelve percent rise.",
        ),
        (
            "At 6.30 a.m. on 14 July, 300 people gathered at St. Mary's.",
            "At six thirty A-M on the fourteenth of July, three hundred people gathered at Saint "
            "Mary's.",
            None,
        ),
        (
            "Lt Col Ahmed served in the 2nd Battalion from 1998-2003.",
            "Lieutenant Colonel Ahmed served in the second Battalion from nineteen ninety-eight to "
            "two thousand and three.",
            "Lieutenant Colonel Ahmed served in the second Battalion from nineteen ninety-eight to "
            "two thousand three.",
        ),
        (
            "Inflation hit 10.1% in October, the highest since the 1980s.",
            "Inflation hit ten point one per cent in October, the highest since the nineteen "
            "eighties.",
            "Inflation hit ten point one percent in October, the highest since the nineteen "
            "eighties.",
        ),
        (
            "The US spent $877bn on defence in 2022, vs. China's $292bn.",
            "The U-S spent eight hundred and seventy-seven billion dollars on defence in twenty "
            "twenty-two, versus China's two hundred and ninety-two billion dollars.",
            "The U-S spent eight hundred seventy-seven billion dollars on defence in twenty "
            "twenty-two, versus China's two hundred ninety-two billion dollars.",
        ),
        (
            "She was born on 4 July 1946 and died aged 77.",
            "She was born on the fourth of July nineteen forty-six and died aged seventy-seven.",
            None,
        ),
        (
            "Prof. Jones (p. 42) disagrees, e.g. on tax.",
            "Professor Jones (page forty-two) disagrees, for example on tax.",
            None,
        ),
        (
            "The 5-4 ruling came at 10:15 am.",
            "The five to four ruling came at ten fifteen A-M.",
            None,
        ),
        (
            "Henry VIII had six wives; Elizabeth I had none.",
            "Henry the Eighth had six wives; Elizabeth the First had none.",
            None,
        ),
    ],
    "context": [
        ("Call 555-0123 now", "Call five five five, zero one two three now", None),
        ("see pages 10-12", "see pages ten to twelve", None),
        ("the 1990-91 season", "the nineteen ninety to ninety-one season", None),
        ("No. 5 won", "number five won", None),
        ("no 5 people came", "no five people came", None),
        ("St. Paul lives on Elm St.", "Saint Paul lives on Elm Street.", None),
        ("Dr Who met Dr. Jones", "Doctor Who met Doctor Jones", None),
        (
            "She ran 5m in the rain",
            "She ran five metres in the rain",
            "She ran five meters in the rain",
        ),
        ("a £5m deal", "a five million pound deal", None),
        ("5m people", "five million people", None),
        ("a $48.5 million terminal", "a forty-eight point five million dollar terminal", None),
        ("a $5 or $10 tip", "a five dollars or ten dollars tip", None),
        ("the ACLU and NAACP", "the A-C-L-U and N-A-A-C-P", None),
        ("United won 3-1", "United won three one", None),
        ("a 2-0 win", "a two nil win", "a two nothing win"),
        ("she took it 6-4, 6-3", "she took it six four, six three", None),
        ("ages 3-5", "ages three to five", None),
        ("1, 2 and 3", "one, two and three", None),
        ("card ending in 8876", "card ending in eight eight seven six", None),
        ("the 60ths", "the sixtieths", None),
        ("version 5.3.0", "version five point three point zero", None),
        ("on GitHub.com today", "on GitHub dot com today", None),
        ("from 9am-5pm", "from nine A-M to five P-M", None),
        (
            "$250-$300",
            "two hundred and fifty dollars to three hundred dollars",
            "two hundred fifty dollars to three hundred dollars",
        ),
        ("2%-10%", "two per cent to ten per cent", "two percent to ten percent"),
        ("at 1:01:01 p.m. today", "at one oh one P-M today", None),
        ("25 Sept.", "the twenty-fifth of September", None),
        ("You may 2 times", "You may two times", None),
        ("4 1/2 lbs", "four and a half pounds", None),
        ("3 mbps", "three megabits per second", None),
        ("12KG", "twelve kilograms", None),
        ("100 million kg", "one hundred million kilograms", None),
        ("25 x 7 m", "twenty-five by seven metres", "twenty-five by seven meters"),
        (
            "41,459 km³",
            "forty-one thousand four hundred and fifty-nine cubic kilometres",
            "forty-one thousand four hundred fifty-nine cubic kilometers",
        ),
        ("2.5x faster", "two point five x faster", None),
        ("1,000th", "one thousandth", None),
        ("$.01", "one cent", None),
        (".5 of it", "point five of it", None),
        ("$20/mo", "twenty dollars per month", None),
        ("a 401(k)", "a four oh one k", None),
        ("July 25 2012", "July twenty-fifth, twenty twelve", None),
        ("01/07/98", "the first of July ninety-eight", "January seventh ninety-eight"),
        ("15.01.2020", "the fifteenth of January twenty twenty", None),
        ("14:10:30", "fourteen hours ten minutes and thirty seconds", None),
        ("IP 10.0.0.1", "I-P one zero dot zero dot zero dot one", None),
        (
            "1428 Elm St, Springfield, IL 62704",
            "fourteen twenty-eight Elm Street, Springfield, Illinois six two seven zero four",
            None,
        ),
    ],
}

TABLE = [
    pytest.param(written, gb, us or gb, id=f"{category}: {written}")
    for category, rows in CASES.items()
    for written, gb, us in rows
]

ENGLISH_TEXT = st.lists(
    st.sampled_from(
        [
            *list("abcXYZ 0123456789.,:;-–/%£$€&@#+'’()!?\n"),
            "Dr. ",
            "Mr ",
            "St. ",
            "No. ",
            "km",
            " am",
            "p.m.",
            "US",
            "IV",
            "1991",
            "1st",
            "½",
            "e.g.",
            "www.",
            ".com",
            "NATO",
            "BBC",
            "x",
            "Q",
            " AD",
            "₩",
            "*",
            ":00",
            "Call ",
            "won ",
            "Jan ",
            "may ",
            "(k)",
            " Ave",
            ", CA ",
            "th",
            "s",
            "e.s.t",
            "=",
            "http://",
        ]
    ),
    max_size=40,
).map("".join)


def test_the_table_is_large_enough() -> None:
    assert len(TABLE) >= 200


@pytest.mark.parametrize(("written", "british", "american"), TABLE)
def test_british_and_american_readings(written: str, british: str, american: str) -> None:
    assert GB(written) == british
    assert US(written) == american


@pytest.mark.parametrize(
    ("text", "variant"),
    [
        ("The colour of the centre was grey.", "en-GB"),
        ("The color of the center was gray.", "en-US"),
        ("No telling words here.", "en-US"),
    ],
)
def test_plain_english_takes_its_variant_from_the_spelling(text: str, variant: str) -> None:
    assert guess_variant(text) == variant
    assert Normalizer.for_text("en", text).variant == variant


def test_other_languages_get_number_words_from_num2words() -> None:
    assert Normalizer.for_text("fr", "")("Il a 3 chats.") == "Il a trois chats."
    assert Normalizer.for_text("de", "")("1500 Leute") == "eintausendfünfhundert Leute"
    assert Normalizer.for_text("es", "")("Tengo 21 años.") == "Tengo veintiuno años."


def test_one_output_line_per_input_line() -> None:
    assert GB("3 cats\n\n4 dogs").split("\n") == ["three cats", "", "four dogs"]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(ENGLISH_TEXT)
def test_no_digit_or_symbol_survives_and_nothing_crashes(text: str) -> None:
    for say in (GB, US):
        assert not re.search(r"[\d%£$€₩&@#+*=/]", say(text))


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(ENGLISH_TEXT)
def test_normalising_twice_changes_nothing(text: str) -> None:
    for say in (GB, US):
        once = say(text)
        assert say(once) == once


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_any_unicode_is_handled_in_every_language(text: str) -> None:
    for language in ("en-GB", "fr", "de", "ja", "ar"):
        Normalizer.for_text(language, text)(text)
