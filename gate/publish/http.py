"""The one HTTP client of every publisher: GitHub's advice on faults, in one place.

What is retried, and how long it waits:

- 403 or 429 with ``retry-after``: that many seconds (a secondary rate limit);
- 403 or 429 with ``x-ratelimit-remaining: 0`` (GitLab: ``ratelimit-remaining``):
  until ``x-ratelimit-reset`` (epoch seconds), plus a second;
- 429 without either, or a 403 whose message says "rate limit": a minute, as
  GitHub advises for a secondary limit that names no time;
- 5xx and connection errors: exponential backoff (1, 2, 4, 8 s ...).

Everything else fails at once: 401, 404, 422, and a 403 that is not a rate limit,
such as a fork's read-only token ("Resource not accessible by integration"),
which no amount of waiting fixes. Attempts are bounded and so is the total time
spent waiting: a wait that would pass ``max_total_wait`` fails now rather than
hang a CI job. Mutating requests keep a second apart, as GitHub asks.

Waiting goes through ``sleep`` and ``clock``, so tests can assert the waits
without sleeping.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from gate.errors import PublishError
from gate.report.escape import one_line

Sleep = Callable[[float], None]
Clock = Callable[[], float]

SAFE_METHODS = frozenset({"GET", "HEAD"})
PER_PAGE = 100
MAX_PAGES = 1_000  # 100,000 comments: a bound on the loop, far past any real thread


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    max_total_wait: float = 300.0  # seconds of waiting across all retries of one request
    first_backoff: float = 1.0
    max_backoff: float = 60.0
    unnamed_rate_limit_wait: float = 60.0
    mutation_spacing: float = 1.0
    timeout: tuple[float, float] = (10.0, 30.0)  # connect, read


class ApiError(PublishError):
    """The API answered with an error status; keeps what a caller needs to explain it."""

    def __init__(
        self, message: str, *, status: int, api_message: str, headers: Mapping[str, str]
    ) -> None:
        super().__init__(message)
        self.status = status
        self.api_message = api_message
        self.headers = {name.lower(): value for name, value in headers.items()}


class _HeaderAuth(requests.auth.AuthBase):
    """Sends the token as a header. As an ``auth`` object it also stops requests from
    replacing it with credentials from ``~/.netrc``; its repr never shows the token."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._headers = dict(headers)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.update(self._headers)
        return request

    def __repr__(self) -> str:
        return f"<auth headers: {', '.join(self._headers)}>"


class ApiClient:
    """Sends one request at a time and retries it the way the module docstring says."""

    def __init__(
        self,
        *,
        headers: Mapping[str, str],
        auth_headers: Mapping[str, str],
        policy: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._session = requests.Session()
        self._session.headers.update(headers)
        self._auth = _HeaderAuth(auth_headers)
        self._last_mutation: float | None = None

    def request(
        self,
        method: str,
        url: str,
        *,
        json: object = None,
        params: Mapping[str, str | int] | None = None,
    ) -> requests.Response:
        mutating = method not in SAFE_METHODS
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            if mutating:
                self._keep_mutations_apart()
            try:
                response = self._session.request(
                    method,
                    url,
                    json=json,
                    params=params,
                    auth=self._auth,
                    timeout=self.policy.timeout,
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                error: PublishError = PublishError(
                    f"{method} {url}: cannot reach the API ({type(exc).__name__})"
                )
                delay = self._backoff(attempt)
            else:
                if mutating:
                    self._last_mutation = self._clock()
                if response.status_code < 400:
                    return response
                error = _api_error(method, url, response)
                retry_delay = self._retry_delay(response, attempt, error)
                if retry_delay is None:
                    raise error
                delay = retry_delay
            if attempt >= self.policy.max_attempts:
                raise PublishError(f"{error.message} (gave up after {attempt} attempts)") from error
            if waited + delay > self.policy.max_total_wait:
                raise PublishError(
                    f"{error.message} (a retry would mean waiting {delay:.0f} s more; "
                    f"gave up after {attempt} attempts)"
                ) from error
            self._sleep(delay)
            waited += delay

    def _keep_mutations_apart(self) -> None:
        if self._last_mutation is None:
            return
        remaining = self.policy.mutation_spacing - (self._clock() - self._last_mutation)
        if remaining > 0:
            self._sleep(remaining)

    def _backoff(self, attempt: int) -> float:
        return float(min(self.policy.first_backoff * 2 ** (attempt - 1), self.policy.max_backoff))

    def _retry_delay(
        self, response: requests.Response, attempt: int, error: ApiError
    ) -> float | None:
        status = response.status_code
        if status >= 500:
            return self._backoff(attempt)
        if status not in (403, 429):
            return None
        headers = response.headers
        after = _retry_after_seconds(headers.get("retry-after"), self._clock())
        if after is not None:
            return after
        remaining = headers.get("x-ratelimit-remaining", headers.get("ratelimit-remaining"))
        reset = _number(headers.get("x-ratelimit-reset", headers.get("ratelimit-reset")))
        if remaining is not None and remaining.strip() == "0" and reset is not None:
            return max(0.0, reset - self._clock()) + 1.0
        if status == 429 or "rate limit" in error.api_message.lower():
            return self.policy.unnamed_rate_limit_wait
        return None


def _api_error(method: str, url: str, response: requests.Response) -> ApiError:
    api_message = _message_of(response)
    return ApiError(
        f"{method} {url}: HTTP {response.status_code}"
        + (f": {api_message}" if api_message else ""),
        status=response.status_code,
        api_message=api_message,
        headers=response.headers,
    )


def _message_of(response: requests.Response) -> str:
    """GitHub and GitLab put the reason in ``message`` (GitLab sometimes in ``error``)."""
    try:
        payload = response.json()
    except ValueError:
        return one_line(response.text, 300)
    if isinstance(payload, dict):
        for key in ("message", "error"):
            if payload.get(key):
                return one_line(str(payload[key]), 300)
    return one_line(str(payload), 300)


def _number(text: str | None) -> float | None:
    try:
        return None if text is None else float(text.strip())
    except ValueError:
        return None


def _retry_after_seconds(text: str | None, now: float) -> float | None:
    """``retry-after`` is seconds, or (by the HTTP standard) a date."""
    if text is None:
        return None
    seconds = _number(text)
    if seconds is not None:
        return max(0.0, seconds)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def json_list(payload: object, url: str) -> list[object]:
    if not isinstance(payload, list):
        raise PublishError(f"GET {url}: expected a list of comments")
    return payload


def check_same_origin(url: str, api_url: str) -> None:
    """The token goes with every request, so a page link may not lead anywhere else."""
    link, api = urlsplit(url), urlsplit(api_url)
    if (link.scheme, link.netloc) != (api.scheme, api.netloc):
        raise PublishError(f"refusing to follow a page link to another host: {link.netloc}")
