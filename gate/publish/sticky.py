"""One comment per gate and pull request, kept up to date instead of piling up.

Which comment is ours: its first line is the marker of our comment id, and its
author is the identity we post as. Each platform decides the author part (see
``Comment.ours``); the marker part is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from gate.publish.body import carries_marker


class CommentMode(str, Enum):
    UPDATE = "update"  # edit our comment in place; post one if there is none
    NEW = "new"  # always post another comment
    RECREATE = "recreate"  # delete ours and post a new one, so it shows at the bottom


@dataclass(frozen=True)
class Comment:
    id: int
    body: str
    ours: bool  # written by the identity this token posts as
    url: str | None = None


class CommentThread(Protocol):
    """The comments of one pull request (or merge request) on one platform."""

    @property
    def where(self) -> str: ...

    def comments(self) -> Iterator[Comment]:
        """Every comment, oldest first, through every page."""
        ...

    def create(self, body: str) -> Comment: ...

    def update(self, comment: Comment, body: str) -> Comment: ...

    def delete(self, comment: Comment) -> None: ...


@dataclass(frozen=True)
class Posted:
    action: str  # "created", "updated", "unchanged" or "recreated"
    where: str
    url: str | None


def post_sticky(thread: CommentThread, body: str, *, comment_id: str, mode: CommentMode) -> Posted:
    if mode is CommentMode.NEW:
        return Posted("created", thread.where, thread.create(body).url)
    ours = [
        comment
        for comment in thread.comments()
        if comment.ours and carries_marker(comment.body, comment_id)
    ]
    if mode is CommentMode.UPDATE and ours:
        # Duplicates (from two jobs racing) are left alone: the oldest is the one kept.
        if ours[0].body == body:
            return Posted("unchanged", thread.where, ours[0].url)
        return Posted("updated", thread.where, thread.update(ours[0], body).url)
    for comment in ours:
        thread.delete(comment)
    created = thread.create(body)
    return Posted("recreated" if ours else "created", thread.where, created.url)
