"""Validated tokens, cached per process, kept honest across processes by one counter.

Why a cache: a full validation is a Fernet decrypt plus four SQL reads (revocation, user,
project, role assignments), over a millisecond, and the compute API validates the
token of every request with a budget of 0.2 ms.

Why it stays correct with several processes on one database: every identity write that can
change the outcome of a validation — revoking a token; disabling, deleting or renaming a
user or changing their password; disabling or deleting a project; granting or removing a
role; changing roles — increments `identity_epoch.epoch` in the same transaction as the
change. A cached validation carries the epoch it was made under and is used only while
  - the token has not expired (checked in memory on every use), and
  - that epoch is still the database's epoch.
Reading the epoch is one primary-key SELECT, one round trip (db/identity_epoch.py): about
25 µs on SQLite, 0.1 ms on a local MariaDB or PostgreSQL. It is read on every validation by
default, so a revocation or user change made through any process applies to the very next
request in every process: no time-to-live window, no messages between processes. Changes
are admin actions and rare, so the cache stays warm; after one, each token is validated in
full once more.

The epoch is read *before* the rows a validation looks at, so a change that lands during a
validation leaves that entry tagged with the older epoch, and it is never used.

[identity] cache_recheck_interval > 0 trusts the last epoch read for that many seconds: fewer
reads when the database is remote, at the price of that much delay before another process's
change applies. Changes made through this process always apply at once (`changed()`).
"""

import threading
import time


class ValidationCache:
    def __init__(self, read_epoch, size: int, recheck_interval: float = 0.0):
        self._read_epoch = read_epoch  # () -> int, from the database
        self.size = size
        self.recheck_interval = recheck_interval
        self._entries: dict[str, tuple[object, float, int]] = {}
        self._epoch: int | None = None
        self._epoch_read_at = float("-inf")
        self._lock = threading.Lock()

    def epoch(self) -> int:
        """The database's epoch (or, with a recheck interval, the last one read)."""
        if self.recheck_interval and self._epoch is not None and \
                time.monotonic() - self._epoch_read_at < self.recheck_interval:
            return self._epoch
        epoch = self._read_epoch()
        if epoch != self._epoch:
            self._entries = {}  # every entry is stale now; let them go at once
            self._epoch = epoch
        self._epoch_read_at = time.monotonic()
        return epoch

    def get(self, token: str, epoch: int):
        entry = self._entries.get(token)
        if entry is None:
            return None
        value, expires, entry_epoch = entry
        if entry_epoch != epoch or time.time() >= expires:
            self._entries.pop(token, None)
            return None
        return value

    def put(self, token: str, value, expires: float, epoch: int) -> None:
        """Remember a validation made under `epoch`, until `expires` (a time.time())."""
        if self.size <= 0:
            return
        entries = self._entries
        if len(entries) >= self.size:
            with self._lock:
                # list() copies in one step, safe while other threads insert.
                now = time.time()
                for key, entry in list(entries.items()):
                    if entry[1] <= now:
                        entries.pop(key, None)
                live = list(entries)
                for key in live[:max(0, len(live) - self.size + 1)]:
                    entries.pop(key, None)  # then the oldest: dicts keep insertion order
        entries[token] = (value, expires, epoch)

    def forget(self, token: str) -> None:
        self._entries.pop(token, None)

    def changed(self) -> None:
        """This process changed identity data: read the epoch again on the next use."""
        # -inf, not 0: time.monotonic() may itself be small (a machine booted recently).
        self._epoch_read_at = float("-inf")

    def __len__(self) -> int:
        return len(self._entries)
