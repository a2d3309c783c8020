"""Every name people write for the tally's columns and totals rows, in each
language the site ships in (English, French, Spanish, German)."""

from __future__ import annotations

# The languages, in the order messages and docs/tally.md list them.
LANGUAGES = {"en": "English", "fr": "French", "es": "Spanish", "de": "German"}

# Per language, the names of each column, the first the one written when a
# column is added to a file. Names are compared folded (no capitals, accents,
# spaces, hyphens or other punctuation): "Teilnehmer*innen", "Teilnehmer:innen"
# and "TeilnehmerInnen" are one name, but "ä" folds to "a", so the "ae" that
# people type without umlauts ("Faelle") is a name of its own. A folded name
# belongs to one column only, in every language (tested): plain "courrier"
# (post, in French: letters or e-mails?) is therefore not a name, and
# "cartas" (Spanish letters) is not "cartes" (French cards).
NAMES_BY_LANGUAGE: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "case": ("case", "cases", "case name"),
        "letters": ("letters", "letter", "appeal letters", "appeal letter"),
        "cards": ("cards", "card", "solidarity cards", "solidarity card", "postcards", "postcard"),
        "emails": ("emails", "email", "e-mails", "e-mail", "mails", "mail"),
        "participants": ("participants", "participant"),
        "correction": ("correction", "corrections"),
    },
    "fr": {
        "case": ("cas", "dossier", "dossiers", "nom du cas"),
        "letters": ("lettres", "lettre", "lettres d'appel", "lettre d'appel"),
        "cards": (
            "cartes", "carte", "cartes de solidarité", "carte de solidarité", "cartes postales", "carte postale",
        ),
        "emails": (
            "courriels", "courriel", "e-mails", "e-mail", "mails", "mail",
            "courriers électroniques", "courrier électronique",
        ),
        "participants": ("participants", "participantes", "participant", "participante", "personnes"),
        "correction": ("correction", "corrections"),
    },
    "es": {
        "case": ("caso", "casos", "nombre del caso"),
        "letters": ("cartas", "carta"),
        "cards": (
            "tarjetas", "tarjeta", "tarjetas de solidaridad", "tarjeta de solidaridad", "postales", "postal",
        ),
        "emails": (
            "correos electrónicos", "correo electrónico", "correos", "correo", "emails", "email", "e-mails",
        ),
        "participants": ("participantes", "participante"),
        "correction": ("corrección", "correcciones"),
    },
    "de": {
        "case": ("Fall", "Fälle", "Faelle", "Name des Falls", "Fallname"),
        "letters": ("Briefe", "Brief", "Appellbriefe", "Appellbrief"),
        "cards": (
            "Karten", "Karte", "Solidaritätskarten", "Solidaritätskarte", "Solidaritaetskarten",
            "Solidaritaetskarte", "Postkarten", "Postkarte",
        ),
        "emails": ("E-Mails", "E-Mail", "Mails", "Mail"),
        "participants": ("Teilnehmende", "Teilnehmer", "Teilnehmer*innen", "Teilnehmerinnen"),
        "correction": ("Korrektur", "Korrekturen", "Berichtigung", "Berichtigungen"),
    },
}  # fmt: skip

# A row whose case is one of these sums the rows above: it is not a case.
# Spanish "total" is the English one.
TOTALS_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "en": ("total", "totals", "grand total", "all cases", "sum"),
    "fr": ("totaux", "total général", "somme", "tous les cas"),
    "es": ("totales", "total general", "suma", "todos los casos"),
    "de": ("summe", "gesamt", "insgesamt", "gesamtsumme", "alle fälle", "alle faelle"),
}

# A header that is none of the names but holds one of these words (folded) is
# probably a count column with a name we do not know (or of an action the
# tally does not count): its numbers must not vanish unseen ("Lettres
# envoyées", "Briefe (Entwurf)", "cartas enviadas"). Plain "courrier" (post:
# letters or e-mails?) is one of these words, not a name.
COUNT_WORDS = (
    "letter", "card", "mail",
    "lettre", "carte", "courriel", "courrier",
    "carta", "tarjeta", "correo",
    "brief", "karte",
    "tweet", "signature", "petition", "unterschrift",
)  # fmt: skip
