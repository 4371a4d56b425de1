"""The `panel-search` command: a thin layer turning library errors into clear messages."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from indexer.encode.cluster import ClusterError, RayEncoder
from indexer.encode.embed import Embedder, ModelError, export_query_encoder
from indexer.harvest.fetch import FetchSettings, PoliteClient
from indexer.harvest.harvester import HARVEST_DIR, Harvester, HarvestError, HarvestReport
from indexer.harvest.registry import find_panel, harvestable, open_site
from indexer.harvest.state import STATE_FILE, HarvestState
from indexer.index.build import BuildError, BuildSummary, build_index
from indexer.index.generations import resolve
from indexer.index.manifest import IndexError_
from indexer.reading.bodies import panels
from indexer.reading.dates import format_date
from indexer.reading.parse import DocumentReport
from search_api.entry import SearchRequest, answer
from search_api.query import QueryError
from search_api.retrieval import MODES, Hit, open_searcher
from search_api.schemas import AnalysisOut, SearchOut, results_out
from search_api.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    settings = Settings()
    parser = argparse.ArgumentParser(prog="panel-search", description="Search past panel answers, with citations.")
    sub = parser.add_subparsers(dest="command", required=True)

    p_index = sub.add_parser("index", help="build the index from documents (default: the corpus folder)")
    p_index.add_argument("paths", nargs="*", type=Path, help="files or folders to index")
    p_index.add_argument("--index-dir", type=Path, default=settings.index_dir)
    p_index.add_argument("--json", action="store_true", help="print the ingest report as JSON")
    p_index.add_argument("--force", action="store_true", help="write a new generation even if nothing changed")
    p_index.add_argument(
        "--ray",
        nargs="?",
        const="auto",
        metavar="auto|ADDRESS",
        help="embed on a Ray cluster: auto (RAY_ADDRESS, a cluster on this machine, else a local instance), "
        "HOST:6379 or ray://HOST:10001; needs panel-search[cluster]",
    )
    p_index.add_argument(
        "--ray-workers", type=int, metavar="N", help="Ray actors embedding at once, one CPU each (default: all CPUs)"
    )

    p_index.add_argument(
        "--adapt",
        action="store_true",
        help="fine-tune the dense model on the records' own pairs (question -> answer, title -> minutes, heading -> "
        "paragraph), keep it next to the index and embed with it (docs/query-understanding.md)",
    )

    p_remove = sub.add_parser("remove", help="remove documents from the index, by the path they are cited with")
    p_remove.add_argument("documents", nargs="+")
    p_remove.add_argument("--index-dir", type=Path, default=settings.index_dir)

    p_search = sub.add_parser("search", help="search the index")
    p_search.add_argument("query")
    p_search.add_argument("--k", type=int, default=10, help="how many results (1-50)")
    p_search.add_argument("--mode", choices=MODES, default="hybrid")
    p_search.add_argument("--json", action="store_true", help="print the same JSON as the API")
    p_search.add_argument("--exact", action="store_true", help="search the words exactly as typed: no typo correction")
    p_search.add_argument("--index-dir", type=Path, default=settings.index_dir)

    p_serve = sub.add_parser("serve", help="serve the search API (building the index first if there is none)")
    p_serve.add_argument("--host", default=settings.host)
    p_serve.add_argument("--port", type=int, default=settings.port)
    p_serve.add_argument("--index-dir", type=Path, default=settings.index_dir)
    p_serve.add_argument(
        "--workers",
        type=int,
        default=settings.workers,
        help=f"server processes, each with the index and model loaded (default {settings.workers})",
    )

    p_harvest = sub.add_parser(
        "harvest", help="fetch a panel's meetings from where it publishes (ModernGov, CMIS) and index them"
    )
    p_harvest.add_argument("url", nargs="?", help="the site: ModernGov's base URL, or a CMIS committees page")
    p_harvest.add_argument("--committee", help="the committee's id on the site, or its title (or part of it)")
    p_harvest.add_argument("--system", choices=("auto", "moderngov", "cmis"), default="auto")
    p_harvest.add_argument("--panel", help="a panel of the registry (indexer/data/panels.csv), by name or area")
    p_harvest.add_argument("--all-panels", action="store_true", help="every panel whose site the registry knows")
    p_harvest.add_argument(
        "--from",
        dest="date_from",
        type=_date,
        help="YYYY-MM-DD (default: the last harvest less 180 days, or November 2012 the first time)",
    )
    p_harvest.add_argument("--to", dest="date_to", type=_date, help="YYYY-MM-DD (default: today)")
    p_harvest.add_argument("--index-dir", type=Path, default=settings.index_dir)
    p_harvest.add_argument(
        "--contact",
        default=settings.harvest_contact,
        help="an e-mail or URL for site administrators, sent in the User-Agent",
    )
    p_harvest.add_argument(
        "--delay",
        type=float,
        default=settings.harvest_delay,
        help="seconds between two requests to one site (default 1)",
    )
    p_harvest.add_argument("--max-mb", type=float, default=50.0, help="the largest document downloaded, in MB")
    p_harvest.add_argument("--no-build", action="store_true", help="fetch only; index later with `harvest` again")
    p_harvest.add_argument("--json", action="store_true", help="print the harvest report as JSON")

    p_mcp = sub.add_parser("mcp", help="serve the archive to an AI assistant over MCP (stdio)")
    p_mcp.add_argument("--index-dir", type=Path, default=settings.index_dir)
    p_mcp.add_argument(
        "--token",
        default=os.environ.get("PANEL_SEARCH_MCP_TOKEN"),
        help="the admin token (or PANEL_SEARCH_MCP_TOKEN): restricted records only when it matches "
        "PANEL_SEARCH_ADMIN_TOKEN",
    )

    args = parser.parse_args(argv)
    try:
        if args.command == "index":
            paths = args.paths or [settings.corpus_dir]
            if args.ray_workers is not None and args.ray is None:
                raise ClusterError("--ray-workers needs --ray")
            return _index(
                paths,
                args.index_dir,
                settings,
                as_json=args.json,
                force=args.force,
                ray_address=args.ray,
                ray_workers=args.ray_workers,
                adapt=args.adapt,
            )
        if args.command == "remove":
            return _index([], args.index_dir, settings, as_json=False, remove=args.documents)
        if args.command == "search":
            return _search(args, settings)
        if args.command == "mcp":
            return _mcp(args, settings)
        if args.command == "harvest":
            return _harvest(args, settings)
        return _serve(args, settings)
    except (BuildError, ModelError, IndexError_, QueryError, ClusterError, HarvestError) as exc:
        print(f"panel-search: error: {exc}", file=sys.stderr)
        return 2


def _index(
    paths: list[Path],
    index_dir: Path,
    settings: Settings,
    *,
    as_json: bool,
    force: bool = False,
    remove: Sequence[str] = (),
    ray_address: str | None = None,
    ray_workers: int | None = None,
    adapt: bool = False,
) -> int:
    encoder: RayEncoder | None = None
    if ray_address is not None:
        # Connected before the model is loaded, so a missing ray or an unreachable cluster fails at once.
        encoder = RayEncoder(settings.model_path, ray_address, workers=ray_workers, progress=not as_json)
        print(f"embedding on Ray with {encoder.workers} workers", file=sys.stderr, flush=True)
    try:
        embedder = Embedder(settings.model_path, settings=settings.encoders())
        print(f"model {embedder.name} loaded; indexing {', '.join(map(str, paths))}", file=sys.stderr, flush=True)
        summary = build_index(
            paths, index_dir, embedder, progress=not as_json, force=force, remove=remove, encoder=encoder
        )
        if adapt:
            summary = _adapt(paths, index_dir, embedder, progress=not as_json, encoder=encoder)
    finally:
        if encoder is not None:
            encoder.close()
    if as_json:
        print(json.dumps(summary.to_dict(), indent=2))
    else:
        print(format_summary(summary))
    return 1 if any(r.error for r in summary.reports) else 0


def _adapt(paths: list[Path], index_dir: Path, embedder: Embedder, **build: Any) -> BuildSummary:
    """Fine-tune the model on the index's records and rebuild the index with it (`index --adapt`)."""
    from indexer.index.adapt import adapt_index

    print("adapting the dense model to the records (minutes on CPU)", file=sys.stderr, flush=True)
    adapted, report, summary = adapt_index(paths, index_dir, embedder, **build)
    print(
        f"adapted model {adapted.name}: {report.trained} pairs, {report.steps} steps, {report.seconds:.0f} s "
        f"training; kept in {report.model_dir}",
        file=sys.stderr,
        flush=True,
    )
    return summary


def format_summary(summary: BuildSummary) -> str:
    """The ingest report as lines for a person."""
    lines = []
    for report in summary.reports:
        if report.error:
            lines.append(f"ERROR {report.document}: {report.error}")
            continue
        kinds = ", ".join(f"{n} {k}" for k, n in report.records_by_kind.items())
        meetings = "; ".join(
            f"{m['body'] or 'unknown body'} {format_date(m['date'])}"
            + (f" (date from the {m['date_source']})" if m.get("date_source") else "")
            for m in report.meetings
        )
        read_as = f"{report.format}, " if report.format and report.format != "text" else ""
        lines.append(
            f"{report.document}: {read_as}layout {report.layout}; {kinds}; meetings: {meetings or 'none found'}"
        )
        lines.extend(f"  warning: {w}" for w in report.warnings)
    lines.extend(f"skipped {s}" for s in summary.skipped)
    unknown = [_unknown(r) for r in summary.reports if not r.error and (r.date_unknown or r.body_unknown)]
    if unknown:
        lines.append("cited with no meeting date or body (state them in corpus/manifest.toml): " + "; ".join(unknown))
    if summary.unchanged:
        lines.append(f"nothing changed: {summary.index_dir} still serves generation {summary.generation}")
        return "\n".join(lines)
    ok = sum(1 for r in summary.reports if not r.error)
    lines.append(
        f"indexed {ok} of {len(summary.reports)} documents: {summary.record_count} records "
        f"({summary.embedded} newly embedded) into {summary.index_dir} in {summary.seconds:.1f} s"
    )
    return "\n".join(lines)


def _unknown(report: DocumentReport) -> str:
    """ "corpus/x.txt (meeting date, body)": a document and what the text did not say."""
    facts = (("meeting date", report.date_unknown), ("body", report.body_unknown))
    missing = [name for name, unknown in facts if unknown]
    return f"{report.document} ({', '.join(missing)})"


def _search(args: argparse.Namespace, settings: Settings) -> int:
    if not 1 <= args.k <= 50:
        raise QueryError("--k must be between 1 and 50")
    searcher = open_searcher(args.index_dir, settings.model_path)
    # The command line runs where the index is, as its operator: restricted records are included.
    request = SearchRequest(args.query, k=args.k, mode=args.mode, exact=args.exact, include_restricted=True)
    found = answer(searcher, request)
    hits = found.hits
    if args.json:
        results = results_out(hits, found.parsed)
        analysis = AnalysisOut.from_query(found.parsed)
        envelope = SearchOut(query=args.query, count=len(results), results=results, analysis=analysis)
        print(json.dumps(envelope.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        print(format_hits(hits) if hits else "no results")
    return 0


def format_hits(hits: Sequence[Hit]) -> str:
    """Results as a numbered, readable list with citations."""
    blocks = []
    for n, hit in enumerate(hits, start=1):
        c = hit.record.citation
        first, last = c.location.lines
        where = f"{c.document} lines {first}-{last}" + (f", {c.location.pages}" if c.location.pages else "")
        text = " ".join(hit.record.text.split())
        snippet = text if len(text) <= 400 else text[:397] + "..."
        block = [f"{n}. {c.label}  [{hit.record.kind}, score {hit.score:.4f}]", f"   {where}"]
        block += [f"   also recorded in: {a.label} ({a.document})" for a in hit.record.also_recorded_in]
        block.append(f"   {snippet}")
        blocks.append("\n".join(block))
    return "\n\n".join(blocks)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date in the form YYYY-MM-DD") from None


def _harvest_targets(args: argparse.Namespace) -> list[tuple[str, str | None, str, str | None]]:
    """(site, system, committee, registry body) for each source the command names."""
    if args.all_panels or args.panel:
        chosen = [p for p in panels() if harvestable(p)] if args.all_panels else [find_panel(args.panel)]
        if args.panel and not harvestable(chosen[0]):
            raise HarvestError(f"the registry does not know where {chosen[0].name} publishes: give its URL")
        return [(p.site or "", p.system, args.committee or p.committee or p.name, p.name) for p in chosen]
    if not args.url or not args.committee:
        raise HarvestError("give the site's URL and --committee, or --panel NAME, or --all-panels")
    return [(args.url, args.system, args.committee, None)]


def _harvest(args: argparse.Namespace, settings: Settings) -> int:
    targets = _harvest_targets(args)
    fetching = FetchSettings(contact=args.contact, min_interval=args.delay, max_bytes=int(args.max_mb * 1024 * 1024))
    reports: list[HarvestReport] = []
    errors: list[str] = []
    with PoliteClient(fetching) as client:
        state = HarvestState(args.index_dir / STATE_FILE)
        try:
            harvester = Harvester(args.index_dir, client, state)
            for url, system, committee, body in targets:
                try:
                    site = open_site(url, args.system if args.system != "auto" else system, client)
                    report = harvester.harvest(site, committee, args.date_from, args.date_to, body=body)
                    reports.append(report)
                    said = report.summary()
                except HarvestError as exc:
                    said = f"panel-search: error: {url}: {exc}"
                    errors.append(said)
                if not args.json:
                    print(said, file=sys.stderr, flush=True)
        finally:
            state.close()
    summary: BuildSummary | None = None
    harvested = args.index_dir / HARVEST_DIR
    if not args.no_build and harvested.is_dir():
        embedder = Embedder(settings.model_path, settings=settings.encoders())
        summary = build_index([harvested], args.index_dir, embedder, progress=not args.json)
    if args.json:
        out = {"harvests": [r.to_dict() for r in reports], "errors": errors, "build": summary and summary.to_dict()}
        print(json.dumps(out, indent=2, ensure_ascii=False))
    elif summary is not None:
        print(format_summary(summary))
    if errors and not reports:
        return 2
    return 1 if errors or any(r.failures for r in reports) else 0


def _has_index(index_dir: Path) -> bool:
    try:
        resolve(index_dir)
    except IndexError_:
        return False
    return True


def _mcp(args: argparse.Namespace, settings: Settings) -> int:
    from search_api.live import LiveSearcher
    from search_api.mcp_server import build_server, may_see_restricted

    searcher = open_searcher(args.index_dir, settings.model_path, encoders=settings.encoders())
    live = LiveSearcher(args.index_dir, searcher.embedder, searcher)
    build_server(live, may_see_restricted(settings.admin_token, args.token)).run("stdio")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from search_api.app import create_app

    if not _has_index(args.index_dir):
        print(f"no index at {args.index_dir}: building it from {settings.corpus_dir}", file=sys.stderr)
        status = _index([settings.corpus_dir], args.index_dir, settings, as_json=False)
        if not _has_index(args.index_dir):
            return status or 1
    if args.workers > 1:
        # The ONNX export is made once here, not by every worker at once; each worker then builds its
        # own app from the environment.
        export_query_encoder(settings.model_path, settings.encoders())
        os.environ["PANEL_SEARCH_INDEX_DIR"] = str(args.index_dir)
        uvicorn.run(
            "search_api.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level="info",
        )
        return 0
    app_settings = settings.model_copy(update={"index_dir": args.index_dir, "host": args.host, "port": args.port})
    app = create_app(app_settings)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
