"""What the tracking-server sources add to ``gate.retrying_http``: JSON answers, and server errors.

Retries, timeouts and the bounds on both are ``gate.retrying_http``'s (``ServerRule``:
connection errors, timeouts, 429 and 5xx; ``RetryPolicy``'s defaults: 4 attempts,
60 s in all). Here: every answer must be a JSON object, and an error answer
carries the server's own message (MLflow's ``error_code: message``), since a
4xx means the query is wrong and the user has to see why.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping

import requests

from gate.errors import RunSetError, ServerError
from gate.retrying_http import (
    Clock,
    Failures,
    RetryingClient,
    RetryPolicy,
    ServerRule,
    Sleep,
    request_name,
)
from gate.sources.run_values import shown


class JsonClient:
    """Requests to one server's JSON API, sharing one connection pool."""

    def __init__(
        self,
        base_url: str,
        *,
        source: str,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        retry: RetryPolicy | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
    ):
        self.base_url = base_url.rstrip("/")
        self.source = source
        self._http = RetryingClient(
            rule=ServerRule(),
            failures=Failures(
                peer="server",
                error=functools.partial(RunSetError, source=source),
                from_answer=functools.partial(_server_error, source=source),
            ),
            policy=retry,
            headers={"Accept": "application/json", **(headers or {})},
            auth=auth,
            sleep=sleep,
            clock=clock,
        )

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, params: Mapping[str, str | int]) -> dict[str, object]:
        return self._ask("GET", path, params=params)

    def post(self, path: str, body: Mapping[str, object]) -> dict[str, object]:
        return self._ask("POST", path, body=body)

    def _ask(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Mapping[str, object] | None = None,
    ) -> dict[str, object]:
        url = f"{self.base_url}{path}"
        response = self._http.request(method, url, params=params, json=body)
        return _json_body(response, request_name(method, url), self.source)


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


def _server_error(where: str, response: requests.Response, *, source: str) -> ServerError:
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
