"""The one retrying HTTP client of rungate: publishers and tracking-server sources share it.

Every request goes through one loop. Connection errors and timeouts are retried
with exponential backoff; an error answer is retried only when the caller's
``RetryRule`` says so, and after the wait it names (``ServerRule``: 429 and 5xx;
the forges' rule in ``gate.publish.forge_api`` adds rate-limit headers on a 403 and
spacing between writes). Attempts are bounded, and so is the time since the
first attempt: a retry that would pass ``max_total_seconds`` is not made, so a
dead server cannot hang a CI job.

What fails is raised as the caller's own error class (``Failures``), so a
publisher still raises a ``PublishError`` and a source a ``RunSetError``, with
their exit statuses. Messages name the URL without credentials, query or fragment.

Waiting goes through ``sleep`` and ``clock``, so tests can check the waits
without sleeping. ``clock`` is seconds since the epoch, because a Retry-After
date and a rate-limit reset are wall-clock times.
"""

from __future__ import annotations

import email.utils
import re
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import requests

from gate.errors import RungateError

Sleep = Callable[[float], None]
Clock = Callable[[], float]

SAFE_METHODS = frozenset({"GET", "HEAD"})
_ERRNO = re.compile(r"\[Errno -?\d+\] [^'\")]+")


@dataclass(frozen=True)
class RetryPolicy:
    """How long one request is tried. The defaults suit a tracking server; the
    publishers pass GitHub's advice (``gate.publish.forge_api.FORGE_RETRY``)."""

    attempts: int = 4
    max_total_seconds: float = 60.0  # since the first attempt, waits and answers alike
    first_backoff: float = 0.5
    max_backoff: float = 8.0
    timeout: tuple[float, float] = (10.0, 60.0)  # connect, read (seconds)

    def backoff(self, attempt: int) -> float:
        """The wait after failed attempt number ``attempt`` (from 1): doubling, capped."""
        return float(min(self.first_backoff * 2 ** (attempt - 1), self.max_backoff))


class RetryRule(Protocol):
    """When an error answer is worth asking again, and how long to wait first."""

    @property
    def mutation_spacing(self) -> float:
        """Seconds kept between a mutating request's answer and the next one (0: none)."""
        ...

    def wait(self, response: requests.Response, *, backoff: float, now: float) -> float | None:
        """Seconds to wait before the next attempt, or None: the answer is final.
        ``backoff`` is the policy's wait for this attempt, ``now`` the clock's time."""
        ...


@dataclass(frozen=True)
class ServerRule:
    """A tracking server's rule: 429 and 5xx are retried, after Retry-After if it names
    a time, else with backoff. Any other 4xx means the query is wrong; asking again
    will not fix it."""

    mutation_spacing: float = 0.0

    def wait(self, response: requests.Response, *, backoff: float, now: float) -> float | None:
        if response.status_code != 429 and response.status_code < 500:
            return None
        # A Retry-After of 0 (or a date gone by) still backs off: a server that is
        # struggling should not be asked again at once.
        return retry_after_seconds(response.headers.get("Retry-After"), now) or backoff


@dataclass(frozen=True)
class Failures:
    """What a client raises, so that each keeps its exit status and its wording."""

    peer: str  # what messages call the other end: "API", "server"
    error: Callable[[str], RungateError]  # the client's error class, e.g. PublishError
    # An error answer, from "METHOD URL" and the response: each API explains itself its own way.
    from_answer: Callable[[str, requests.Response], RungateError]


class HeaderAuth(requests.auth.AuthBase):
    """Sends a token as headers. As an ``auth`` object it also stops requests from
    replacing it with credentials from ``~/.netrc``; its repr never shows the token."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._headers = dict(headers)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._headers)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.update(self._headers)
        return request

    def __repr__(self) -> str:
        return f"<auth headers: {', '.join(self._headers)}>"


class _Session(requests.Session):
    """A session that never sends credentials across origins. requests drops the
    Authorization header when a redirect leaves the host, but no other: a GitLab
    ``PRIVATE-TOKEN`` would follow a redirect anywhere."""

    def rebuild_auth(
        self, prepared_request: requests.PreparedRequest, response: requests.Response
    ) -> None:
        super().rebuild_auth(prepared_request, response)  # type: ignore[no-untyped-call]
        old_url, new_url = response.request.url or "", prepared_request.url or ""
        if isinstance(self.auth, HeaderAuth) and not _same_origin(old_url, new_url):
            for name in self.auth.names:
                prepared_request.headers.pop(name, None)


def _same_origin(one: str, other: str) -> bool:
    first, second = urllib.parse.urlsplit(one), urllib.parse.urlsplit(other)
    return (first.scheme, first.hostname, first.port) == (
        second.scheme,
        second.hostname,
        second.port,
    )


class RetryingClient:
    """Requests through one connection pool (a ``requests.Session``), each tried as the
    module docstring says."""

    def __init__(
        self,
        *,
        rule: RetryRule,
        failures: Failures,
        policy: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        auth: requests.auth.AuthBase | tuple[str, str] | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
    ) -> None:
        self.rule = rule
        self.failures = failures
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._session = _Session()
        self._session.headers.update(headers or {})
        if auth is not None:
            self._session.auth = auth
        self._last_mutation: float | None = None

    def close(self) -> None:
        self._session.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: object = None,
    ) -> requests.Response:
        """The first answer below 400; else the client's error for the last failure."""
        where = request_name(method, url)
        mutating = method not in SAFE_METHODS
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            if mutating:
                self._keep_mutations_apart()
            try:
                response = self._session.request(
                    method, url, params=params, json=json, timeout=self.policy.timeout
                )
            except requests.RequestException as exc:
                failure = self.failures.error(f"{where}: {self._unreachable(exc)}")
                delay = self.policy.backoff(attempt)
            else:
                if mutating:
                    self._last_mutation = self._clock()
                if response.status_code < 400:
                    return response
                failure = self.failures.from_answer(where, response)
                wait = self.rule.wait(
                    response, backoff=self.policy.backoff(attempt), now=self._clock()
                )
                if wait is None:
                    raise failure
                delay = wait
            self._give_up_unless_retry_fits(attempt, delay, started, failure)
            self._sleep(delay)

    def _give_up_unless_retry_fits(
        self, attempt: int, delay: float, started: float, failure: RungateError
    ) -> None:
        """Raise unless one more attempt, ``delay`` seconds from now, keeps to the policy."""
        tries = f"{attempt} attempt" + ("" if attempt == 1 else "s")
        if attempt >= self.policy.attempts:
            raise self.failures.error(f"{failure.message} (gave up after {tries})") from failure
        if self._clock() - started + delay > self.policy.max_total_seconds:
            raise self.failures.error(
                f"{failure.message} (gave up after {tries}: waiting {_seconds(delay)} s more "
                f"for a retry would pass the {self.policy.max_total_seconds:g} s limit)"
            ) from failure

    def _keep_mutations_apart(self) -> None:
        if self._last_mutation is None:
            return
        remaining = self.rule.mutation_spacing - (self._clock() - self._last_mutation)
        if remaining > 0:
            self._sleep(remaining)

    def _unreachable(self, exc: requests.RequestException) -> str:
        # A connect timeout is both a Timeout and a ConnectionError: the server was never reached.
        if isinstance(exc, requests.Timeout) and not isinstance(exc, requests.ConnectionError):
            return f"no answer within {self.policy.timeout[1]:g} s"
        return f"cannot reach the {self.failures.peer} ({_reason(exc)})"


def request_name(method: str, url: str) -> str:
    """How messages name a request: ``GET https://host/path``, without credentials."""
    return f"{method} {redact_url(url)}"


def redact_url(url: str) -> str:
    """``url`` without a ``user:password@`` part, a query or a fragment."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def header_number(text: str | None) -> float | None:
    """A header's value as a number, or None when it is missing or not one."""
    try:
        return None if text is None else float(text.strip())
    except ValueError:
        return None


def retry_after_seconds(text: str | None, now: float) -> float | None:
    """``Retry-After`` is seconds, or (by the HTTP standard) a date; None if neither."""
    if text is None:
        return None
    seconds = header_number(text)
    if seconds is not None:
        return max(0.0, seconds)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _seconds(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _reason(err: requests.RequestException) -> str:
    """The root cause of a connection error, without the URL (and whatever it carries)."""
    match = _ERRNO.search(str(err))
    return match.group(0).strip() if match else type(err).__name__
