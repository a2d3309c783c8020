"""Section mode's Pelican side: the section's `tally` (the sums of the counted
groups), `section` for the templates, and a page per group and one of all groups."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

from .results import TallyResult, case_names, max_per_row, result_for
from .section import Group, read_section
from .settings import section_folder

logger = logging.getLogger(__name__)

GROUPS_URL = "groups.html"
GROUP_URL = "groups/{slug}.html"


@dataclass
class GroupPage:
    """One group as the templates show it: `tally` is its result (as the
    site's `tally`, toward its goal), or None while it is not counted yet."""

    group: Group
    tally: TallyResult | None

    name = property(lambda self: self.group.name)
    slug = property(lambda self: self.group.slug)
    goal = property(lambda self: self.group.goal)
    counted = property(lambda self: self.tally is not None)

    @cached_property
    def url(self) -> str:
        return GROUP_URL.format(slug=self.slug)

    def as_dict(self, siteurl: str = "") -> dict:
        """The group as tally.json writes it: no number while it is not counted."""
        return {
            "name": self.name,
            "slug": self.slug,
            "url": f"{siteurl}/{self.url}" if siteurl else self.url,
            "counted": self.counted,
            "total": self.tally.total if self.tally else None,
            "goal": self.goal,
            "percent": self.tally.percent if self.tally else None,
        }


@dataclass
class SectionView:
    """`section` in the template context: every group, in order of name."""

    groups: list[GroupPage]
    url: str = GROUPS_URL

    @property
    def counted(self) -> int:
        """How many groups are counted."""
        return sum(1 for group in self.groups if group.counted)


def section_tally(pages, settings) -> tuple[TallyResult, SectionView]:
    """The section's `tally` over these case pages, and its groups."""
    section = read_section(section_folder(settings), case_names(pages), max_per_row(settings))
    for warning in section.warnings:
        logger.warning("%s", warning)
    tally = result_for(pages, section.tally, settings.get("TALLY_GOAL"))
    groups = [GroupPage(group, _group_result(pages, group, tally)) for group in section.groups]
    return tally, SectionView(groups)


def _group_result(pages, group: Group, site: TallyResult) -> TallyResult | None:
    if not group.counted:
        return None
    result = result_for(pages, group.tally, group.goal)
    for case, same in zip(result.cases, site.cases):  # worked out once, not once per group
        case.__dict__.update(title=same.title, url=same.url)
    return result


def write_section(generator, writer, section: SectionView) -> None:
    """A page per group (template group.html) and the table of groups (groups.html)."""
    relative = generator.settings.get("RELATIVE_URLS", False)
    template = generator.get_template("group")
    for group in section.groups:
        writer.write_file(group.url, template, generator.context, relative, group=group, page_name=group.url[:-5])
    writer.write_file(
        section.url, generator.get_template("groups"), generator.context, relative, page_name=section.url[:-5]
    )
