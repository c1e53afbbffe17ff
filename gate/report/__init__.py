"""The reports of a gate result, one module each, so a command imports only what it writes.

``markdown.render_markdown``, ``json_report.render_json``, ``html.render_html`` and
``summary.summary_text`` each take a ``GateResult`` and return the text to write.
"""
