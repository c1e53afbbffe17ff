"""MLflow's SQLite store (``sqlite:///mlflow.db``, MLflow 3's default), read with sqlite3.

The database is opened read-only. Tables used, as MLflow's schema has them:
``experiments`` (experiment_id, name, lifecycle_stage), ``runs`` (run_uuid,
name, status, start_time, end_time, user_id, lifecycle_stage, experiment_id),
``latest_metrics`` and ``metrics`` (key, value, is_nan, step, timestamp,
run_uuid), ``params`` and ``tags`` (key, value, run_uuid).
"""

from __future__ import annotations

import math
import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gate.errors import RunSetError
from gate.sources.mlflow.runs import MlflowRecord, metric_number

_ACTIVE_RUNS = "SELECT run_uuid FROM runs WHERE experiment_id = ? AND lifecycle_stage = 'active'"


class MlflowSqliteStore:
    """An MLflow SQLite database file."""

    def __init__(self, location: Path):
        self.location = location

    def experiment_id(self, name: str | None, experiment_id: str | None) -> str:
        with self._connect() as db:
            if name is not None:
                rows = db.execute(
                    "SELECT experiment_id, lifecycle_stage FROM experiments WHERE name = ?", (name,)
                ).fetchall()
                label = f"named {name!r}"
            else:
                rows = db.execute(
                    "SELECT experiment_id, lifecycle_stage FROM experiments "
                    "WHERE CAST(experiment_id AS TEXT) = ?",
                    (experiment_id,),
                ).fetchall()
                label = f"with id {experiment_id}"
        active = [str(row[0]) for row in rows if row[1] != "deleted"]
        if not active:
            state = "is deleted" if rows else "does not exist"
            raise RunSetError(f"the experiment {label} {state}", source=str(self.location))
        if len(active) > 1:
            raise RunSetError(
                f"{len(active)} experiments are {label} (in different workspaces); "
                f"give experiment_id instead (one of {', '.join(active)})",
                source=str(self.location),
            )
        return active[0]

    def records(self, experiment_id: str) -> list[MlflowRecord]:
        with self._connect() as db:
            runs = db.execute(
                "SELECT run_uuid, name, status, start_time, end_time, user_id FROM runs "
                "WHERE experiment_id = ? AND lifecycle_stage = 'active'",
                (experiment_id,),
            ).fetchall()
            metrics = _grouped(
                db,
                "SELECT run_uuid, key, value, is_nan FROM latest_metrics "
                f"WHERE run_uuid IN ({_ACTIVE_RUNS})",
                experiment_id,
            )
            params = _grouped(
                db,
                f"SELECT run_uuid, key, value FROM params WHERE run_uuid IN ({_ACTIVE_RUNS})",
                experiment_id,
            )
            tags = _grouped(
                db,
                f"SELECT run_uuid, key, value FROM tags WHERE run_uuid IN ({_ACTIVE_RUNS})",
                experiment_id,
            )
        return [
            MlflowRecord(
                run_id=run_id,
                run_name=name or "",
                status=status or "",
                start_time=start,
                end_time=end,
                user_id=user or "",
                metrics={key: _value(row) for key, row in metrics.get(run_id, {}).items()},
                params={key: str(row[0]) for key, row in params.get(run_id, {}).items()},
                tags={key: str(row[0] or "") for key, row in tags.get(run_id, {}).items()},
            )
            for run_id, name, status, start, end, user in runs
        ]

    def history(self, experiment_id: str, run_id: str, metric: str) -> tuple[float, ...]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT value, is_nan FROM metrics WHERE run_uuid = ? AND key = ? "
                "ORDER BY step, timestamp",
                (run_id, metric),
            ).fetchall()
        return tuple(_value(row) for row in rows)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not self.location.is_file():
            raise RunSetError("no such file (an MLflow SQLite database)", source=str(self.location))
        uri = f"file:{urllib.parse.quote(str(self.location.resolve()))}?mode=ro"
        try:
            db = sqlite3.connect(uri, uri=True)
        except sqlite3.Error as err:
            raise RunSetError(
                f"cannot open the database: {err}", source=str(self.location)
            ) from None
        try:
            yield db
        except sqlite3.Error as err:
            raise RunSetError(
                f"cannot read it as an MLflow database: {err}", source=str(self.location)
            ) from None
        finally:
            db.close()


def _grouped(
    db: sqlite3.Connection, sql: str, experiment_id: str
) -> dict[str, dict[str, tuple[object, ...]]]:
    """``{run_id: {key: (the other columns)}}`` of a query whose rows start with run_uuid, key."""
    grouped: dict[str, dict[str, tuple[object, ...]]] = {}
    for run_id, key, *rest in db.execute(sql, (experiment_id,)):
        grouped.setdefault(run_id, {})[key] = tuple(rest)
    return grouped


def _value(row: tuple[object, ...]) -> float:
    value, is_nan = row[0], row[1]
    if is_nan:
        return math.nan
    number = metric_number(value)
    return math.nan if number is None else number
