"""English text normalisation: what a narrator says for what a reader sees.

Ordered, table-driven rewrite rules. Each rule turns one kind of written form (money,
times, dates, abbreviations...) into words; number words come from num2words. The rules
run in a fixed order because the forms overlap: "£20m" must be read as money before "20m"
could be read as metres, and "7/11/2004" as a date before "7/11" as a fraction.
"""

from publisher.speech.english.rules import normalize_english
from publisher.speech.english.tables import guess_variant
from publisher.speech.english.words import Variant

__all__ = ["Variant", "guess_variant", "normalize_english"]
