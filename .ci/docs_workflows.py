"""Write every complete workflow in a Markdown file's ```yaml blocks to OUTDIR/N.yml.

The docs promise workflows that work as written, so CI lints them like the real ones.
Usage: python .ci/docs_workflows.py DOC.md OUTDIR
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

BLOCK = re.compile(r"^```yaml\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def main(doc: str, outdir: str) -> int:
    blocks = BLOCK.findall(Path(doc).read_text(encoding="utf-8"))
    workflows = [block for block in blocks if re.search(r"^jobs:", block, re.MULTILINE)]
    if not workflows:
        print(f"{doc}: no workflows found", file=sys.stderr)
        return 1
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    for number, workflow in enumerate(workflows, 1):
        (out / f"{number}.yml").write_text(workflow, encoding="utf-8")
    print(f"{doc}: {len(workflows)} workflows")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
