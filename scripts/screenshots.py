"""Screenshots for the README: the search page, a figure's history, undertakings, the drafting check, a phone.

Usage: python scripts/screenshots.py [--base-url http://127.0.0.1:8000] [--out docs]
It drives Debian's Chromium (/usr/bin/chromium) with Playwright against a running server;
`make screenshots` starts one on the bundled corpus first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium reaches for Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DRAFT_QUESTION = "What proportion of Derbyshire officers are from black and minority ethnic groups?"
DRAFT_RESPONSE = "Black and minority ethnic officers are 3.5% of the force, and the force has a target of 300 officers."


def main(argv: list[str] | None = None) -> int:
    """Take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1300})
        page.goto(f"{args.base_url}/?q=will+an+officer+visit+every+burgled+home%3F")
        page.screenshot(path=str(args.out / "search-page.png"), full_page=False)
        history = browser.new_page(viewport={"width": 1100, "height": 1500})
        history.goto(f"{args.base_url}/?q=proportion+of+black+and+minority+ethnic+officers")
        history.locator("figure").first.scroll_into_view_if_needed()
        history.screenshot(path=str(args.out / "figure-history.png"), full_page=False)
        page.goto(f"{args.base_url}/undertakings?status=possibly+followed+up")
        page.screenshot(path=str(args.out / "undertakings.png"), full_page=False)
        page.goto(f"{args.base_url}/draft")
        page.fill("#question", DRAFT_QUESTION)
        page.fill("#response", DRAFT_RESPONSE)
        page.click("button[type=submit]")
        page.wait_for_selector("#differences")
        page.screenshot(path=str(args.out / "drafting-check.png"), full_page=False)
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(f"{args.base_url}/?q=will+an+officer+visit+every+burgled+home%3F")
        phone.screenshot(path=str(args.out / "search-phone.png"), full_page=False)
        browser.close()
    print(f"wrote search-page, figure-history, undertakings, drafting-check and search-phone screenshots to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
