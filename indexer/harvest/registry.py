"""Which site each panel publishes on (the registry, `indexer/data/panels.csv`), and opening a site by its system."""

from __future__ import annotations

import re

from indexer.harvest.cmis import CmisSite
from indexer.harvest.fetch import PoliteClient
from indexer.harvest.harvester import HarvestError, Site
from indexer.harvest.moderngov import ModernGovSite
from indexer.reading.bodies import Panel, panels

SYSTEMS = ("moderngov", "cmis")


def system_of(url: str) -> str:
    """The publishing system a site's URL shows: CMIS hosts and DotNetNuke paths are CMIS, else ModernGov."""
    return "cmis" if re.search(r"cmis|/tabid/\d+", url, re.I) else "moderngov"


def open_site(url: str, system: str | None, client: PoliteClient) -> Site:
    """The site at `url`, read as `system` ("moderngov", "cmis", or None / "auto" to tell from the URL)."""
    system = system_of(url) if system in (None, "auto") else system
    if system == "moderngov":
        return ModernGovSite(url, client)
    if system == "cmis":
        return CmisSite(url, client)
    raise HarvestError(f"panel-search cannot harvest a {system} site yet (it reads {', '.join(SYSTEMS)})")


def find_panel(name: str) -> Panel:
    """The registry's panel named `name` (its name or an area, any case); HarvestError when none or several fit."""
    key = " ".join(name.lower().replace("&", "and").split())
    exact = [p for p in panels() if p.name.lower() == key or key in p.areas]
    found = exact or [p for p in panels() if key in p.name.lower()]
    if len(found) == 1:
        return found[0]
    if not found:
        raise HarvestError(f"no panel '{name}' in the registry (indexer/data/panels.csv)")
    raise HarvestError(f"'{name}' fits {len(found)} panels: " + "; ".join(p.name for p in found))


def harvestable(panel: Panel) -> bool:
    """Whether the registry knows where the panel publishes, on a system panel-search reads."""
    return bool(panel.site) and (panel.system or system_of(panel.site or "")) in SYSTEMS
