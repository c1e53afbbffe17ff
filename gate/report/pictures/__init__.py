"""Pictures of a result and of main's history: inline SVG, Unicode sparklines, a static site.

Nothing here runs a script in the reader's browser or fetches anything, except the
dashboard's small inline filter. Every string from a run file (metric names, commit
ids) is escaped where it lands (``svg_canvas.attr`` / ``svg_canvas.text``).
"""
