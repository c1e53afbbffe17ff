"""The reports of a gate result, one module each, so a command imports only what it writes.

``markdown.render_markdown``, ``json_report.render_json``, ``html.render_html``,
``junit.render_junit`` and ``summary.render_stdout_summary`` each take a ``GateResult``
and return the text to write. ``json_read.read_json_report`` turns a JSON report back
into a ``GateResult``; ``trim`` fits a report into a place with a size limit.
"""
