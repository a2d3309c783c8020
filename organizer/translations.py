"""The theme's catalogs (theme/translations/<lang>/LC_MESSAGES/messages.po
and .mo), kept with Babel's API: extract the strings of the templates and
plugins into messages.pot, update every language's .po from it, compile
each .po into the .mo the build reads (docs/languages.md)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from organizer.project import ROOT

FOLDER = ROOT / "theme" / "translations"
TEMPLATE = FOLDER / "messages.pot"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "Words": None}
# A template comment starting so, just before a string, goes into the catalog for translators.
COMMENT_TAGS = ("Translators:",)


def catalog_files(folder: Path = FOLDER) -> list[Path]:
    """Every language's messages.po."""
    return sorted(folder.glob("*/LC_MESSAGES/messages.po"))


def extract(root: Path = ROOT) -> Catalog:
    """The source strings of the theme and the plugins, into messages.pot."""
    with open(root / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog(project="Write for Rights", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, comment_tags=COMMENT_TAGS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    with open(TEMPLATE, "wb") as out:
        write_po(out, catalog, width=100, omit_header=False)
    return catalog


def update() -> list[Path]:
    """Every language's .po updated from messages.pot (new strings empty,
    gone ones kept as obsolete). No fuzzy guesses: a guessed translation
    would look done in the .po but never reach the .mo, which skips them."""
    with open(TEMPLATE, "rb") as source:
        template = read_po(source)
    for path in catalog_files():
        with open(path, "rb") as old:
            catalog = read_po(old, locale=path.parent.parent.name)
        catalog.update(template, no_fuzzy_matching=True)
        with open(path, "wb") as out:
            write_po(out, catalog, width=100)
    return catalog_files()


def compile_catalog(po: Path) -> bytes:
    """The .mo of this .po, as bytes."""
    from io import BytesIO

    with open(po, "rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def compile_all() -> list[Path]:
    """Every .po compiled into the .mo beside it."""
    for po in catalog_files():
        po.with_suffix(".mo").write_bytes(compile_catalog(po))
    return catalog_files()
