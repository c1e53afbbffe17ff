"""What the publishers add to ``gate.retrying_http``: GitHub's advice on faults, API errors.

``ForgeRule`` decides which error answers are retried, and how long to wait:

- 403 or 429 with ``retry-after``: that many seconds, or until that date (a
  secondary rate limit);
- 403 or 429 with ``x-ratelimit-remaining: 0`` (GitLab: ``ratelimit-remaining``):
  until ``x-ratelimit-reset`` (epoch seconds), plus a second;
- 429 without either, or a 403 whose message says "rate limit": a minute, as
  GitHub advises for a secondary limit that names no time;
- 5xx (and, in ``gate.retrying_http``, connection errors): backoff of 1, 2, 4, 8 s ...

Everything else fails at once: 401, 404, 422, and a 403 that is not a rate limit,
such as a fork's read-only token ("Resource not accessible by integration"),
which no amount of waiting fixes. ``FORGE_RETRY`` bounds the attempts (5) and
the time (5 minutes) per request; mutating requests keep a second apart, as
GitHub asks.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from gate.errors import ApiError, PublishError
from gate.report.escape import one_line
from gate.retrying_http import (
    Clock,
    Failures,
    HeaderAuth,
    RetryingClient,
    RetryPolicy,
    Sleep,
    header_number,
    request_name,
    retry_after_seconds,
)

PER_PAGE = 100
MAX_PAGES = 1_000  # 100,000 comments: a bound on the loop, far past any real thread

FORGE_RETRY = RetryPolicy(
    attempts=5, max_total_seconds=300.0, first_backoff=1.0, max_backoff=60.0, timeout=(10.0, 30.0)
)


@dataclass(frozen=True)
class ForgeRule:
    """GitHub's and GitLab's rule for retrying, as the module docstring lists it."""

    unnamed_rate_limit_wait: float = 60.0
    mutation_spacing: float = 1.0

    def wait(self, response: requests.Response, *, backoff: float, now: float) -> float | None:
        status = response.status_code
        if status >= 500:
            return backoff
        if status not in (403, 429):
            return None
        headers = response.headers
        after = retry_after_seconds(headers.get("retry-after"), now)
        if after is not None:
            return after
        remaining = headers.get("x-ratelimit-remaining", headers.get("ratelimit-remaining"))
        reset = header_number(headers.get("x-ratelimit-reset", headers.get("ratelimit-reset")))
        if remaining is not None and remaining.strip() == "0" and reset is not None:
            return max(0.0, reset - now) + 1.0
        if status == 429 or "rate limit" in _message_of(response).lower():
            return self.unnamed_rate_limit_wait
        return None


def forge_client(
    *,
    headers: Mapping[str, str],
    auth_headers: Mapping[str, str],
    policy: RetryPolicy | None = None,
    sleep: Sleep = time.sleep,
    clock: Clock = time.time,
) -> RetryingClient:
    """A client for GitHub's or GitLab's API; ``auth_headers`` carry the token."""
    return RetryingClient(
        rule=ForgeRule(),
        failures=Failures(peer="API", error=PublishError, from_answer=_api_error),
        policy=policy or FORGE_RETRY,
        headers=headers,
        auth=HeaderAuth(auth_headers),
        sleep=sleep,
        clock=clock,
    )


def _api_error(where: str, response: requests.Response) -> ApiError:
    api_message = _message_of(response)
    return ApiError(
        f"{where}: HTTP {response.status_code}" + (f": {api_message}" if api_message else ""),
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


def answer_json(response: requests.Response) -> object:
    """The answer's JSON; anything else (an HTML error page behind a proxy, JSON nested
    past what a parser can follow) is a ``PublishError``, never a crash."""
    try:
        return response.json()
    except (ValueError, RecursionError):
        kind = response.headers.get("Content-Type", "no content type")
        where = request_name(response.request.method or "GET", response.url)
        raise PublishError(
            f"{where}: the API answered with something that is not JSON ({kind})"
        ) from None


def json_list(payload: object, url: str) -> list[object]:
    if not isinstance(payload, list):
        raise PublishError(f"GET {url}: expected a list of comments")
    return payload


def check_same_origin(url: str, api_url: str) -> None:
    """The token goes with every request, so a page link may not lead anywhere else."""
    link, api = urlsplit(url), urlsplit(api_url)
    if (link.scheme, link.netloc) != (api.scheme, api.netloc):
        raise PublishError(f"refusing to follow a page link to another host: {link.netloc}")
