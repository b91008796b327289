"""The Fernet key repository, laid out as Keystone's: a directory of files named 0, 1, 2 …
each holding one key; the highest number is the primary key (new tokens), the others still
decrypt, 0 is the staged key that becomes the next primary on rotation.

Several processes (API workers, a separate identity service) share one repository. Keys are
created once, atomically: written to a private temporary file, then hard-linked to their
final name, which fails if another process got there first, so no process ever reads a
half-written key and all end up with the same keys.
"""

import os
import tempfile

from cryptography.fernet import Fernet, MultiFernet


class KeyRepository:
    def __init__(self, path: str):
        self.path = os.path.abspath(path)

    def _indexes(self) -> list[int]:
        return sorted(int(name) for name in os.listdir(self.path) if name.isdigit())

    def _create_key(self, index: int) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path, prefix=".key-")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(Fernet.generate_key())
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, os.path.join(self.path, str(index)))
            except FileExistsError:
                pass  # another process created it first: use theirs
        finally:
            os.unlink(tmp)

    def ensure(self) -> None:
        """Create the directory (0700) and the staged and primary keys if missing."""
        os.makedirs(self.path, mode=0o700, exist_ok=True)
        if len(self._indexes()) < 2:
            for index in (0, 1):
                self._create_key(index)

    def load(self) -> MultiFernet:
        """All keys, the primary first (MultiFernet encrypts with the first)."""
        keys = []
        for index in reversed(self._indexes()):
            with open(os.path.join(self.path, str(index)), "rb") as f:
                keys.append(Fernet(f.read().strip()))
        if not keys:
            raise RuntimeError("no Fernet keys in %s" % self.path)
        # The staged key (0) never encrypts, so it must not come first.
        return MultiFernet(keys)
