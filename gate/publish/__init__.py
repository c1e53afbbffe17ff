"""Publishing a report where people read it: a sticky pull-request comment.

``sticky.post_sticky`` holds the logic every platform shares (find our comment by
its marker and author, then update, add or replace it); ``github`` and ``gitlab``
each give it a ``CommentThread``; ``http`` is the one retrying HTTP client and
``body`` builds the marker and cuts a report to the platform's limit. Nothing
here decides anything about the gate: it only posts text it is given.
"""
