"""A small JSON-over-HTTP client for tracking servers, with bounded retries.

What is retried: connection errors, timeouts, 5xx answers and 429 (honouring a
``Retry-After`` given in seconds), with exponential backoff (0.5, 1, 2 ... s).
Everything else fails at once with the server's own message: a 4xx means the
query is wrong, and asking again will not fix it. Attempts are bounded, and so
is the total time since the first attempt: a retry that would pass
``max_total_seconds`` is not made, so a dead server cannot hang a CI job.

Waiting goes through ``sleep`` and ``clock``, so tests can check the waits
without sleeping. Messages name the URL without any credentials in it.

(``gate.publish.http`` does the same for GitHub's API; the two should merge.)
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import requests

from gate.errors import RunSetError
from gate.sources.values import shown

Sleep = Callable[[float], None]
Clock = Callable[[], float]

_ERRNO = re.compile(r"\[Errno -?\d+\] [^'\")]+")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    max_total_seconds: float = 60.0
    first_backoff: float = 0.5
    max_backoff: float = 8.0
    timeout: tuple[float, float] = (10.0, 60.0)  # connect, read (seconds)


class ServerError(RunSetError):
    """The server answered a request with an error status."""

    def __init__(self, message: str, *, source: str, status: int, server_message: str):
        super().__init__(message, source=source)
        self.status = status
        self.server_message = server_message


def redact_url(url: str) -> str:
    """``url`` without a ``user:password@`` part, a query or a fragment."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class JsonClient:
    """Requests to one server's JSON API, sharing one connection pool (a ``requests.Session``)."""

    def __init__(
        self,
        base_url: str,
        *,
        source: str,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        retry: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
    ):
        self.base_url = base_url.rstrip("/")
        self.source = source
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._session = requests.Session()
        self._session.headers.update({"Accept": "application/json", **(headers or {})})
        if auth is not None:
            self._session.auth = auth

    def close(self) -> None:
        self._session.close()

    def get(self, path: str, params: Mapping[str, str | int]) -> dict[str, object]:
        return self._request("GET", path, params=params)

    def post(self, path: str, body: Mapping[str, object]) -> dict[str, object]:
        return self._request("POST", path, body=body)

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Mapping[str, object] | None = None,
    ) -> dict[str, object]:
        url = f"{self.base_url}{path}"
        where = f"{method} {redact_url(url)}"
        started = self._clock()
        for attempt in range(1, self.retry.attempts + 1):
            try:
                response = self._session.request(
                    method, url, params=params, json=body, timeout=self.retry.timeout
                )
            except requests.Timeout:
                failure: RunSetError = RunSetError(
                    f"{where}: no answer within {self.retry.timeout[1]:g} s", source=self.source
                )
                delay = self._backoff(attempt)
            except requests.RequestException as err:
                failure = RunSetError(
                    f"{where}: cannot reach the server ({_reason(err)})", source=self.source
                )
                delay = self._backoff(attempt)
            else:
                if response.status_code < 400:
                    return _json_body(response, where, self.source)
                failure = _server_error(response, where, self.source)
                if response.status_code != 429 and response.status_code < 500:
                    raise failure
                delay = _retry_after(response) or self._backoff(attempt)
            if attempt == self.retry.attempts:
                break
            if self._clock() - started + delay > self.retry.max_total_seconds:
                raise _gave_up(failure, attempt, f"; a retry would pass {self._limit()}")
            self._sleep(delay)
        raise _gave_up(failure, self.retry.attempts, "")

    def _backoff(self, attempt: int) -> float:
        return float(min(self.retry.first_backoff * 2 ** (attempt - 1), self.retry.max_backoff))

    def _limit(self) -> str:
        return f"the {self.retry.max_total_seconds:g} s limit"


def _gave_up(failure: RunSetError, attempts: int, why: str) -> RunSetError:
    tries = "attempt" if attempts == 1 else "attempts"
    return RunSetError(
        f"{failure.message} (gave up after {attempts} {tries}{why})", source=failure.source
    )


def _json_body(response: requests.Response, where: str, source: str) -> dict[str, object]:
    try:
        body = response.json()
    except ValueError:
        kind = response.headers.get("Content-Type", "no content type")
        raise RunSetError(
            f"{where}: the answer is not JSON ({kind}); is this the server's address?",
            source=source,
        ) from None
    if not isinstance(body, dict):
        raise RunSetError(f"{where}: expected a JSON object, got {shown(body)}", source=source)
    return body


def _server_error(response: requests.Response, where: str, source: str) -> ServerError:
    message = _server_message(response)
    return ServerError(
        f"{where}: HTTP {response.status_code}: {message}",
        source=source,
        status=response.status_code,
        server_message=message,
    )


def _server_message(response: requests.Response) -> str:
    """The server's explanation: MLflow's ``error_code: message``, else the text, cut short."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        code = body.get("error_code")
        text = f"{code}: {body['message']}" if isinstance(code, str) else body["message"]
    else:
        text = response.text.strip() or response.reason or "no message"
    text = " ".join(text.split())
    return text if len(text) <= 300 else f"{text[:297]}..."


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _reason(err: requests.RequestException) -> str:
    """The root cause of a connection error, without the URL (and whatever it carries)."""
    match = _ERRNO.search(str(err))
    return match.group(0).strip() if match else type(err).__name__
