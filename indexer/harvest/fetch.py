"""A polite HTTP client for councils' sites: robots.txt, a pace per host, retries, conditional GET, a size cap."""

from __future__ import annotations

import email.utils
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

USER_AGENT = "panel-search-harvester/0.1 (+https://pypi.org/project/panel-search/)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """A URL could not be fetched; `reason` says why in words a support officer can act on."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class FetchSettings:
    """How politely to fetch.

    contact: an e-mail or URL for the site's administrators, added to the User-Agent.
    min_interval: seconds between two requests to one host.
    timeout: seconds to wait for a response before trying again.
    retries: further tries after a timeout, a 429 or a 5xx.
    backoff: seconds before the first retry, doubling each time, when the site gives no Retry-After.
    max_wait: the longest Retry-After honoured (seconds); a longer one fails the request.
    max_bytes: the largest body accepted.
    """

    contact: str | None = None
    min_interval: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 2.0
    max_wait: float = 120.0
    max_bytes: int = 50 * 1024 * 1024

    @property
    def user_agent(self) -> str:
        """The User-Agent header: panel-search, and the contact when one is given."""
        return f"{USER_AGENT[:-1]}; {self.contact})" if self.contact else USER_AGENT


@dataclass(frozen=True)
class Validators:
    """What an earlier response said about its body, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """The conditional request headers."""
        out: dict[str, str] = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class Fetched:
    """A response: its body (empty when not modified), type and validators."""

    url: str
    status: int
    content: bytes
    content_type: str
    validators: Validators

    @property
    def not_modified(self) -> bool:
        """True for a 304: the copy already held is current."""
        return self.status == 304

    @property
    def text(self) -> str:
        """The body as text (UTF-8, undecodable bytes replaced)."""
        return self.content.decode("utf-8", errors="replace")


@dataclass
class PoliteClient:
    """Fetches URLs the way a public-spirited crawler should; one instance per harvest."""

    settings: FetchSettings = field(default_factory=FetchSettings)
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    requests: int = 0

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            headers={"User-Agent": self.settings.user_agent},
            timeout=self.settings.timeout,
            follow_redirects=True,
            transport=self.transport,
        )

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, validators: Validators | None = None, max_bytes: int | None = None) -> Fetched:
        """GET `url` if robots.txt allows, with retries; a 304 comes back `not_modified`, any other failure raises."""
        if not self.allowed(url):
            raise FetchError(url, "robots.txt of the site does not allow panel-search to fetch it")
        return self._get(url, validators or Validators(), max_bytes or self.settings.max_bytes)

    def allowed(self, url: str) -> bool:
        """Whether the site's robots.txt lets our User-Agent fetch `url` (read once per site)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        robots = self._robots[origin]
        return robots is None or robots.can_fetch(self.settings.user_agent, url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The site's rules; None (everything allowed) when it has no robots.txt (RFC 9309: a 4xx)."""
        url = f"{origin}/robots.txt"
        try:
            fetched = self._get(url, Validators(), 512 * 1024)
        except FetchError as exc:
            if exc.reason.startswith("4"):
                return None
            # RFC 9309: a robots.txt that cannot be reached (5xx, no answer) means nothing may be fetched.
            raise FetchError(url, f"robots.txt cannot be read ({exc.reason}), so nothing is fetched") from exc
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(fetched.text.splitlines())
        return parser

    def _get(self, url: str, validators: Validators, max_bytes: int) -> Fetched:
        attempt = 0
        while True:
            self._pace(url)
            try:
                return self._once(url, validators, max_bytes)
            except _Retry as retry:
                if attempt >= self.settings.retries:
                    raise FetchError(url, f"{retry.reason} after {attempt + 1} tries") from None
                wait = retry.wait if retry.wait is not None else self.settings.backoff * 2**attempt
                if wait > self.settings.max_wait:
                    raise FetchError(url, f"{retry.reason}; the site asks to wait {wait:.0f} s") from None
                self.sleep(wait)
                attempt += 1

    def _once(self, url: str, validators: Validators, max_bytes: int) -> Fetched:
        self.requests += 1
        try:
            with self._client.stream("GET", url, headers=validators.headers()) as response:
                if response.status_code in RETRY_STATUSES:
                    raise _Retry(_status(response), _retry_after(response.headers.get("Retry-After")))
                if response.status_code == 304:
                    return Fetched(str(response.url), 304, b"", "", validators)
                if response.status_code >= 400:
                    raise FetchError(url, _status(response))
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    size = int(declared)
                    raise FetchError(url, f"{size:,} bytes, over the limit of {max_bytes:,} bytes: not downloaded")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise FetchError(url, f"over the limit of {max_bytes:,} bytes: download stopped")
                return Fetched(
                    str(response.url),
                    response.status_code,
                    bytes(body),
                    response.headers.get("Content-Type", "").split(";")[0].strip().lower(),
                    Validators(response.headers.get("ETag"), response.headers.get("Last-Modified")),
                )
        except httpx.TimeoutException:
            raise _Retry(f"no answer within {self.settings.timeout:g} s", None) from None
        except httpx.TransportError as exc:
            raise _Retry(f"connection failed ({type(exc).__name__})", None) from None

    def _pace(self, url: str) -> None:
        """Wait so that one host gets at most one request every `min_interval` seconds."""
        host = urlsplit(url).netloc
        last = self._last.get(host)
        if last is not None:
            wait = last + self.settings.min_interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = time.monotonic()


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None) -> None:
        self.reason = reason
        self.wait = wait


def _status(response: httpx.Response) -> str:
    return f"{response.status_code} {response.reason_phrase}".strip()


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (a number, or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
