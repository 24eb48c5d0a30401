"""EXAMGEN_STORAGE_URL=file:///DIR: one file per upload in DIR/uploads (one host or a shared volume).

A file is written under a temporary name, fsynced, renamed into place and the directory fsynced,
so a reader sees the whole upload or none of it, and a crash never leaves a torn file under a
job's name (a temporary file left by a crash is swept like an orphan).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

from examgen.core.storage import NAME, BlobStore, StoreUnavailable, check_name

TMP_PREFIX = ".tmp-"


class FileStore(BlobStore):
    kind = "file"

    def __init__(self, root: str) -> None:
        self.root = Path(root)
        self.dir = self.root / "uploads"
        self._cursor = ""

    def _ready(self) -> Path:
        # The root is never created here: a shared volume that is not mounted must be an error,
        # not a local directory that only this host sees.
        if not self.root.is_dir():
            raise StoreUnavailable(f"the upload directory {self.root} does not exist (is the volume mounted?)")
        try:
            self.dir.mkdir(exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create {self.dir}: {exc.strerror}") from None
        return self.dir

    def _path(self, job_id: str) -> Path:
        return self.dir / check_name(job_id)

    def put(self, job_id: str, data: bytes) -> None:
        folder = self._ready()
        target = self._path(job_id)
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=TMP_PREFIX)
        except OSError as exc:
            raise StoreUnavailable(f"cannot write to {folder}: {exc.strerror}") from None
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
            dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)  # the rename itself survives a power cut only once its directory is synced
            finally:
                os.close(dir_fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise StoreUnavailable(f"cannot write to {folder}: {exc.strerror}") from None

    def get(self, job_id: str) -> bytes | None:
        self._ready()
        try:
            return self._path(job_id).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreUnavailable(f"cannot read from {self.dir}: {exc.strerror}") from None

    def delete(self, job_id: str) -> None:
        try:
            self._path(job_id).unlink(missing_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot delete from {self.dir}: {exc.strerror}") from None

    def exists(self, job_id: str) -> bool:
        return self._path(job_id).is_file()

    def older_than(self, age_s: float, limit: int) -> list[str]:
        folder = self._ready()
        cutoff = time.time() - age_s
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            raise StoreUnavailable(f"cannot list {folder}: {exc.strerror}") from None
        later = [n for n in names if n > self._cursor]
        batch = later[:limit]
        # At the end of the listing the next round starts again from the beginning.
        self._cursor = batch[-1] if len(later) > limit else ""
        found = []
        for name in batch:
            path = folder / name
            try:
                if path.stat().st_mtime > cutoff:
                    continue
                if name.startswith(TMP_PREFIX):
                    path.unlink(missing_ok=True)  # a write that crashed half-way: no job names it
                elif NAME.fullmatch(name):
                    found.append(name)
            except OSError:
                continue  # deleted meanwhile
        return found
