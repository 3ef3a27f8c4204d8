"""Where apps plug into the core's pages, so core templates never name an app.

An app registers from its AppConfig.ready():

* a navigation entry: a link in the header of every page, for the users it suits;
* a case-page panel: a template included at one of the places (``PANEL_SLOTS``) the staff and
  the family case pages leave for them; it loads its own data (usually through a template tag
  of its app);
* a dashboard tab: a link in the managers' dashboards sub-navigation.

Each list is kept in `order`, then registration order; registering the same link or template
twice is harmless.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

#: Where a case-page panel can go: the staff case page, the family case page beside the plan,
#: and the family case page after the letters.
STAFF_CASE = "staff_case"
FAMILY_CASE = "family_case"
FAMILY_CASE_AFTER_LETTERS = "family_case_after_letters"
PANEL_SLOTS = (STAFF_CASE, FAMILY_CASE, FAMILY_CASE_AFTER_LETTERS)


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    order: int
    shown_to: Callable[[Any], bool]  # called with the signed-in user


@dataclass(frozen=True)
class CasePanel:
    slot: str
    template: str
    order: int


@dataclass(frozen=True)
class DashboardTab:
    label: str
    url_name: str
    order: int


NAV_ENTRIES: list[NavEntry] = []
CASE_PANELS: list[CasePanel] = []
DASHBOARD_TABS: list[DashboardTab] = []


def _add(registry: list, entry: Any, *same: str) -> None:
    """Add ``entry`` unless one with the same values of the ``same`` fields is there already."""
    if not any(all(getattr(e, f) == getattr(entry, f) for f in same) for e in registry):
        registry.append(entry)
        registry.sort(key=lambda item: item.order)


def nav_entry_register(
    *, label: str, url_name: str, order: int, shown_to: Callable[[Any], bool]
) -> None:
    _add(
        NAV_ENTRIES,
        NavEntry(label=label, url_name=url_name, order=order, shown_to=shown_to),
        "url_name",
    )


def case_panel_register(*, slot: str, template: str, order: int) -> None:
    if slot not in PANEL_SLOTS:
        raise ValueError(f"unknown case-page slot {slot!r}; one of {PANEL_SLOTS}")
    _add(CASE_PANELS, CasePanel(slot=slot, template=template, order=order), "slot", "template")


def dashboard_tab_register(*, label: str, url_name: str, order: int) -> None:
    _add(DASHBOARD_TABS, DashboardTab(label=label, url_name=url_name, order=order), "url_name")


def nav_links_for(user: Any) -> list[tuple[str, str]]:
    """(label, url) of each navigation entry this signed-in user should see, in order."""
    return [(e.label, reverse(e.url_name)) for e in NAV_ENTRIES if e.shown_to(user)]


def case_panel_templates(slot: str) -> list[str]:
    return [panel.template for panel in CASE_PANELS if panel.slot == slot]


def dashboard_links() -> list[tuple[str, str]]:
    return [(tab.label, reverse(tab.url_name)) for tab in DASHBOARD_TABS]
