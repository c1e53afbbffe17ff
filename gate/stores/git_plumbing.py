"""The git commands the data-branch store runs: plumbing only, never the working tree.

Every command runs ``git`` (no shell) in a folder of the repository. A new commit
of the data branch is built in a temporary index (``GIT_INDEX_FILE``) from the
branch's last commit, so the checked-out branch, the index and the files of the
working tree are never touched.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gate.errors import StoreError

TIMEOUT = 120.0
# The data commits are rungate's, whoever runs it: CI runners often have no git identity.
IDENTITY = {
    "GIT_AUTHOR_NAME": "rungate",
    "GIT_AUTHOR_EMAIL": "rungate@users.noreply.github.com",
    "GIT_COMMITTER_NAME": "rungate",
    "GIT_COMMITTER_EMAIL": "rungate@users.noreply.github.com",
}


@dataclass(frozen=True)
class TreeEntry:
    blob: str
    path: str


class PlumbingGit:
    """``git`` in ``folder``; ``source`` names the store in error messages."""

    def __init__(self, folder: Path, *, source: str):
        self.folder = folder
        self.source = source

    def run(
        self,
        *args: str,
        stdin: bytes | None = None,
        env: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess[bytes]:
        command = ["git", "-C", str(self.folder), *args]
        full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})}
        try:
            done = subprocess.run(
                command, input=stdin, capture_output=True, env=full_env, timeout=TIMEOUT
            )
        except FileNotFoundError:
            raise StoreError("git is not installed (or not on PATH)", source=self.source) from None
        except subprocess.TimeoutExpired:
            raise StoreError(
                f"git {args[0]} took more than {TIMEOUT:g} s", source=self.source
            ) from None
        if check and done.returncode != 0:
            raise StoreError(f"git {args[0]} failed: {first_line(done.stderr)}", source=self.source)
        return done

    def remote_tip(self, remote: str, branch: str) -> str | None:
        """The commit ``branch`` has on ``remote``, or None when it has no such branch."""
        done = self.run("ls-remote", "--heads", "--end-of-options", remote, f"refs/heads/{branch}")
        for line in done.stdout.decode().splitlines():
            sha, _, ref = line.partition("\t")
            if ref == f"refs/heads/{branch}":
                return sha
        return None

    def fetch(self, remote: str, branch: str, local_ref: str) -> None:
        self.run("fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{branch}:{local_ref}")

    def has_commit(self, sha: str) -> bool:
        done = self.run("cat-file", "-e", f"{sha}^{{commit}}", check=False)
        return done.returncode == 0

    def commit_with(self, parent: str | None, files: Mapping[str, bytes], message: str) -> str:
        """A new commit: ``parent``'s tree plus ``files``, built in a temporary index."""
        with tempfile.TemporaryDirectory(prefix="rungate-index-") as scratch:
            env = {"GIT_INDEX_FILE": str(Path(scratch) / "index"), **IDENTITY}
            self.run("read-tree", *([parent] if parent else ["--empty"]), env=env)
            for path, content in files.items():
                blob = (
                    self.run("hash-object", "-w", "--stdin", stdin=content).stdout.decode().strip()
                )
                self.run("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
            tree = self.run("write-tree", env=env).stdout.decode().strip()
        parents = ["-p", parent] if parent else []
        done = self.run("commit-tree", tree, *parents, "-m", message, env=IDENTITY)
        return done.stdout.decode().strip()

    def push(self, remote: str, commit: str, branch: str) -> tuple[bool, str]:
        """Push ``commit`` as ``branch``: (True, "") when it landed, (False, why) when the
        remote refused it because the branch moved (another job recorded first)."""
        done = self.run(
            "push", "--porcelain", "--quiet", remote, f"{commit}:refs/heads/{branch}", check=False
        )
        if done.returncode == 0:
            return True, ""
        rejected = [line for line in done.stdout.decode().splitlines() if line.startswith("!")]
        if rejected:
            return False, rejected[0].split("\t")[-1].strip() or "rejected"
        raise StoreError(f"git push failed: {first_line(done.stderr)}", source=self.source)

    def tree_entries(self, commit: str, folder: str) -> list[TreeEntry]:
        done = self.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", folder)
        entries = []
        for item in done.stdout.decode(errors="replace").split("\0"):
            meta, _, path = item.partition("\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == "blob":
                entries.append(TreeEntry(parts[2], path))
        return entries

    def blobs(self, shas: list[str]) -> list[bytes]:
        """The contents of ``shas``, in order, read by one ``git cat-file --batch``."""
        if not shas:
            return []
        done = self.run("cat-file", "--batch", stdin=("\n".join(shas) + "\n").encode())
        out, position, contents = done.stdout, 0, []
        for _ in shas:
            end = out.index(b"\n", position)
            header = out[position:end].split()
            if len(header) != 3:  # "<sha> missing": no content follows
                contents.append(b"")
                position = end + 1
                continue
            size = int(header[2])
            contents.append(out[end + 1 : end + 1 + size])
            position = end + 1 + size + 1  # the content, then a newline
        return contents


def first_line(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    return lines[0] if lines else "no message"
