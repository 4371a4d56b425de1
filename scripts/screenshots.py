"""Screenshots of the search page and the drafting check for the README.

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
    """Take the two screenshots."""
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
        page.goto(f"{args.base_url}/draft")
        page.fill("#question", DRAFT_QUESTION)
        page.fill("#response", DRAFT_RESPONSE)
        page.click("button[type=submit]")
        page.wait_for_selector("#differences")
        page.screenshot(path=str(args.out / "drafting-check.png"), full_page=False)
        browser.close()
    print(f"wrote {args.out / 'search-page.png'} and {args.out / 'drafting-check.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
