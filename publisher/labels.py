"""The few words the publisher itself adds to a book, in the book's language where known.

A label not translated is marked with its own language so a screen reader pronounces it right.
"""

from __future__ import annotations

from typing import Literal

Label = Literal[
    "contents",
    "landmarks",
    "start",
    "title_page",
    "scene_break",
    "by",
    "notes",
    "note",
    "figure",
    "code",
    "pages",
]

_LABELS: dict[str, dict[Label, str]] = {
    "en": {
        "contents": "Contents",
        "landmarks": "Landmarks",
        "start": "Start of content",
        "title_page": "Title page",
        "scene_break": "Scene break",
        "by": "by",
        "notes": "Notes",
        "note": "Note",
        "figure": "Figure",
        "code": "Code",
        "pages": "Pages",
    },
    "fr": {
        "contents": "Table des matières",
        "landmarks": "Repères",
        "start": "Début du contenu",
        "title_page": "Page de titre",
        "scene_break": "Changement de scène",
        "by": "par",
        "notes": "Notes",
        "note": "Note",
        "figure": "Figure",
        "code": "Code",
        "pages": "Pages",
    },
    "de": {
        "contents": "Inhalt",
        "landmarks": "Orientierungspunkte",
        "start": "Beginn des Inhalts",
        "title_page": "Titelseite",
        "scene_break": "Szenenwechsel",
        "by": "von",
        "notes": "Anmerkungen",
        "note": "Anmerkung",
        "figure": "Abbildung",
        "code": "Code",
        "pages": "Seiten",
    },
    "es": {
        "contents": "Índice",
        "landmarks": "Puntos de referencia",
        "start": "Inicio del contenido",
        "title_page": "Portada",
        "scene_break": "Cambio de escena",
        "by": "por",
        "notes": "Notas",
        "note": "Nota",
        "figure": "Figura",
        "code": "Código",
        "pages": "Páginas",
    },
    "it": {
        "contents": "Indice",
        "landmarks": "Punti di riferimento",
        "start": "Inizio del contenuto",
        "title_page": "Frontespizio",
        "scene_break": "Cambio di scena",
        "by": "di",
        "notes": "Note",
        "note": "Nota",
        "figure": "Figura",
        "code": "Codice",
        "pages": "Pagine",
    },
    "nl": {
        "contents": "Inhoud",
        "landmarks": "Oriëntatiepunten",
        "start": "Begin van de inhoud",
        "title_page": "Titelpagina",
        "scene_break": "Scènewissel",
        "by": "door",
        "notes": "Noten",
        "note": "Noot",
        "figure": "Afbeelding",
        "code": "Code",
        "pages": "Pagina's",
    },
    "pt": {
        "contents": "Índice",
        "landmarks": "Pontos de referência",
        "start": "Início do conteúdo",
        "title_page": "Página de rosto",
        "scene_break": "Mudança de cena",
        "by": "por",
        "notes": "Notas",
        "note": "Nota",
        "figure": "Figura",
        "code": "Código",
        "pages": "Páginas",
    },
}


def label(name: Label, language: str) -> tuple[str, str]:
    """Return the label text and the language it is in."""
    primary = language.split("-")[0].lower()
    if primary in _LABELS:
        return _LABELS[primary][name], language
    return _LABELS["en"][name], "en"
