"""Language detection (stopwords, no network) and the translated flags."""

from __future__ import annotations

import pytest

from articles.parsing import parse_copy
from articles.parsing.language import detect_language, source_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The government said on Tuesday that it would raise taxes for the first time.", "en"),
        (
            "Le gouvernement a annoncé mardi qu'il allait augmenter les impôts pour la première "
            "fois depuis dix ans, une décision qui a surpris les marchés.",
            "fr",
        ),
        (
            "Die Regierung hat am Dienstag angekündigt, dass sie die Steuern zum ersten Mal seit "
            "zehn Jahren erhöhen wird.",
            "de",
        ),
        (
            "El gobierno anunció el martes que subirá los impuestos por primera vez en diez años, "
            "una decisión que sorprendió a los mercados.",
            "es",
        ),
        (
            "Il governo ha annunciato martedì che aumenterà le tasse per la prima volta in dieci "
            "anni, una decisione che ha sorpreso i mercati.",
            "it",
        ),
        (
            "O governo anunciou na terça-feira que vai aumentar os impostos pela primeira vez em "
            "dez anos, uma decisão que surpreendeu os mercados.",
            "pt",
        ),
        (
            "De regering heeft dinsdag aangekondigd dat zij de belastingen voor het eerst in tien "
            "jaar zal verhogen.",
            "nl",
        ),
    ],
)
def test_detect_language(text, code):
    assert detect_language(text) == code


def test_no_evidence_falls_back_to_the_default():
    assert detect_language("12345 67890") == "en"


def test_french_copy():
    (article,) = parse_copy(
        "PARIS (AFP) - Le gouvernement a annoncé mardi un plan pour les hôpitaux, qui sont "
        "dans une situation difficile.\nLes syndicats ont réagi avec prudence."
    )
    assert (article.language, article.outlet, article.place) == ("fr", "AFP", "Paris")
    assert article.translated is False


def test_translation_header_marks_a_translation():
    (article,) = parse_copy(
        "Translation. Region: Russian Federation –\nThe mission will end its work this year."
    )
    assert (article.language, article.translated, article.translated_from) == ("en", True, "ru")


def test_mil_osi_disclaimer_alone_marks_a_translation_of_unknown_origin():
    (article,) = parse_copy(
        "The mission will end its work this year.\nPlease note: This information is raw "
        "content obtained directly from the source. It does not necessarily reflect the "
        "position of MIL-OSI or its clients."
    )
    assert (article.translated, article.translated_from) == (True, None)


def test_translated_from_line():
    (article,) = parse_copy("Translated from German\nThe chancellor spoke on Tuesday.")
    assert (article.translated, article.translated_from) == (True, "de")


def test_source_language_names():
    assert source_language("Russian Federation") == "ru"
    assert source_language("Atlantis") is None
    assert source_language(None) is None
