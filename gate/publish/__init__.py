"""Publishing a report where people read it: a sticky pull-request comment.

``sticky.post_sticky`` holds the logic every platform shares (find our comment by
its marker and author, then update, add or replace it); ``github`` and ``gitlab``
each give it a ``CommentThread`` over ``forge_api``'s retrying client; ``body``
builds the marker and fits a report to the platform's limit; ``post`` ties them
together. Nothing here decides anything about the gate: it posts a result it is
given (or a Markdown report's text), rendered by ``gate.report``.
"""
