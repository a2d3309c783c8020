"""The picture a shared link shows once actions are counted: the total and
the bar toward the goal, as a 1200x630 PNG (the size Open Graph and
Twitter's large card ask for), drawn at build time with Pillow."""

# Its file name carries a hash of what it shows, so new counts give a new
# name and a social network that cached the old picture fetches the new one.
# The name is worked out without Pillow; Pillow is imported only to draw,
# and is an optional dependency: `pip install "pelican-tally[image]"`.

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from gettext import NullTranslations
from pathlib import Path

SIZE = (1200, 630)
# Bump when the drawing changes, so pictures already shared get a new name too.
DRAWING_VERSION = 1

BLACK = (0, 0, 0)
WHITE = (255, 255, 255)
YELLOW = (255, 255, 0)
ENGLISH = NullTranslations()


class MissingPillow(Exception):
    """Pillow is not installed; the message says how to install it."""

    HOW_TO = (
        'the share picture needs Pillow: pip install "pelican-tally[image]" '
        "(or set TALLY_SHARE_IMAGE = None to keep the theme's picture)"
    )


@dataclass(frozen=True)
class ShareFacts:
    """What the picture shows."""

    title: str
    total: int
    goal: int | None
    percent: int | None
    lang: str = "en"  # DEFAULT_LANG: the numbers by Babel, the words from `translations`
    translations: object = field(default=ENGLISH, compare=False, repr=False)

    def key(self) -> str:
        """A short hash of everything drawn: equal facts, equal picture."""
        drawn = [DRAWING_VERSION, self.title, self.total, self.goal, self.percent]
        if self.lang != "en":  # the words drawn too (an English picture keeps its name)
            drawn += [self.lang, self.actions(), self.goal_line()]
        return hashlib.sha256(json.dumps(drawn).encode("utf-8")).hexdigest()[:12]

    def number(self, n: int) -> str:
        from . import number

        return number(n, self.lang)

    def actions(self) -> str:
        """The word after the total: "actions" (one action: "action")."""
        return self.translations.ngettext("action", "actions", self.total)

    def goal_line(self) -> str:
        """The line under the total: the share of the goal, or what is counted."""
        if not self.goal:
            return self.translations.gettext("letters, cards and e-mails")
        return self.translations.gettext("%(percent)s %% of our goal of %(goal)s") % {
            "percent": self.percent,
            "goal": self.number(self.goal),
        }

    def alt_text(self) -> str:
        """The picture in words, for og:image:alt and twitter:image:alt."""
        text = self.translations.ngettext("%(title)s: %(count)s action", "%(title)s: %(count)s actions", self.total) % {
            "title": self.title,
            "count": self.number(self.total),
        }
        if self.goal:
            text += self.translations.gettext(", %(percent)s %% of our goal of %(goal)s") % {
                "percent": self.percent,
                "goal": self.number(self.goal),
            }
        return text


def file_name(pattern: str, facts: ShareFacts) -> str:
    """TALLY_SHARE_IMAGE with its {key} filled in, e.g. images/tally-3f2a9c0b1d4e.png."""
    return pattern.format(key=facts.key())


def draw(facts: ShareFacts, path: str | Path) -> Path:
    """Draw the picture into `path` (written whole or not at all)."""
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        raise MissingPillow(MissingPillow.HOW_TO) from None

    def font(size):
        return ImageFont.load_default(size=size)  # Pillow's own font: the same on every machine

    image = Image.new("RGB", SIZE, BLACK)
    pen = ImageDraw.Draw(image)
    margin = 60
    width = SIZE[0] - 2 * margin

    pen.rectangle([0, 0, SIZE[0], 18], fill=YELLOW)
    title, title_font = _fitted(pen, facts.title, [font(56), font(44), font(36)], width)
    pen.text((margin, 60), title, fill=YELLOW, font=title_font)
    total = facts.number(facts.total)  # never shortened: a smaller size until it fits
    room = width - 30 - pen.textlength(facts.actions(), font=font(56))
    total_font = font(min(190, int(190 * room / pen.textlength(total, font=font(190)))))
    pen.text((margin, 340), total, fill=WHITE, font=total_font, anchor="ls")  # on the baseline
    after_total = margin + pen.textlength(total, font=total_font) + 30
    pen.text((after_total, 340), facts.actions(), fill=WHITE, font=font(56), anchor="ls")

    if facts.goal:
        pen.text((margin, 395), facts.goal_line(), fill=WHITE, font=font(52))
        top, height, border = 480, 80, 6
        pen.rectangle([margin, top, margin + width, top + height], fill=BLACK, outline=WHITE, width=border)
        filled = round((width - 2 * border) * min(facts.total, facts.goal) / facts.goal)
        if filled:
            pen.rectangle(
                [margin + border, top + border, margin + border + filled - 1, top + height - border], fill=YELLOW
            )
    else:
        pen.text((margin, 395), facts.goal_line(), fill=WHITE, font=font(52))

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    image.save(partial, format="PNG")
    os.replace(partial, path)
    return path


def _fitted(pen, text: str, fonts: list, width: int):
    """`text` in the largest of `fonts` it fits `width` with; in the smallest,
    shortened with an ellipsis, if it fits none."""
    for font in fonts:
        if pen.textlength(text, font=font) <= width:
            return text, font
    while text and pen.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…", font
