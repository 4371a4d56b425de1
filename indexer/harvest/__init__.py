"""Harvesting a panel from where it publishes: ModernGov's web service and CMIS meeting pages.

`fetch` is the polite HTTP client (robots.txt, one request a second per host, retries, conditional GET,
size cap); `state` the SQLite record of what was fetched, so a harvest resumes and a second one fetches
nothing it has; `moderngov` and `cmis` read each system into `model` meetings; `harvester` writes each
meeting's documents with a manifest of the facts the source states and builds the index from them.
"""
