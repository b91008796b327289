"""Image data on its way in, and what happens to uploads nobody finishes.

An upload holds its image in `saving` and writes to a temporary `.part` file in the store.
While data flows it touches the image's updated_at every few seconds (a heartbeat), so any
API process sharing the database and the store can tell a live upload from one whose
process died or whose client went silent: sweep_stale_uploads() puts those back to
`queued` and removes their files. An upload that was given up on notices at its next
heartbeat and fails with a conflict instead of finishing.
"""

import datetime
import logging
import time

from novalite import exception
from novalite.db import images as db_images
from novalite.image import formats
from novalite.image import store as image_store
from novalite.objects.base import utcnow

LOG = logging.getLogger(__name__)

DEFAULT_HEARTBEAT = 5.0  # seconds between heartbeats, at most


def heartbeat_interval(stale_timeout: float) -> float:
    """Several heartbeats fit in the stale timeout, however short it is configured."""
    return min(DEFAULT_HEARTBEAT, stale_timeout / 4)


class Upload:
    """write() the chunks, then finish() or abort()."""

    def __init__(self, database, store, image_id: str, staged, disk_format: str | None,
                 heartbeat: float = DEFAULT_HEARTBEAT):
        self.database = database
        self.store = store
        self.image_id = image_id
        self.staged = staged
        self.disk_format = disk_format
        self.heartbeat = heartbeat
        self._last_beat = time.monotonic()
        self._lost = False  # a sweep gave up on this upload: the image is not ours any more

    def beat_due(self) -> bool:
        return time.monotonic() - self._last_beat >= self.heartbeat

    def beat(self) -> None:
        """Tell other processes this upload is alive; Conflict if a sweep gave up on it."""
        if not (db_images.touch_saving(self.database, self.image_id)
                and self.staged.touch()):
            self._lost = True
            raise exception.Conflict(
                "The upload of image %s received no data for too long and was abandoned; "
                "upload the data again." % self.image_id)
        self._last_beat = time.monotonic()

    def write(self, data: bytes) -> None:
        if self.beat_due():
            self.beat()
        self.staged.write(data)

    def finish(self, expected_size: int | None = None) -> None:
        try:
            self.beat()
            if expected_size is not None and expected_size != self.staged.size:
                raise exception.Invalid("Expected %d bytes of image data, got %d." % (
                    expected_size, self.staged.size))
            self.staged.commit()
        except FileNotFoundError:  # swept between the heartbeat and the rename
            self._lost = True
            self.abort()
            raise exception.Conflict("The upload of image %s was abandoned; upload the "
                                     "data again." % self.image_id) from None
        except BaseException:
            self.abort()
            raise
        done = db_images.update(self.database, self.image_id, {
            "status": "active", "size": self.staged.size, "checksum": self.staged.checksum,
            "os_hash_algo": image_store.HASH_ALGO, "os_hash_value": self.staged.os_hash_value,
            "virtual_size": formats.virtual_size(self.disk_format, self.staged.head,
                                                 self.staged.size),
        }, expected_status=("saving",))
        if not done:  # deleted while its data arrived
            self.store.delete(self.image_id)
            raise exception.ImageNotFound(image_id=self.image_id)

    def abort(self) -> None:
        """Throw the partial data away; the image is queued again, ready for a retry."""
        self.staged.abort()
        if not self._lost:  # else it may be another upload's `saving` by now
            db_images.update(self.database, self.image_id, {"status": "queued"},
                             expected_status=("saving",))


def sweep_stale_uploads(database, store, timeout: float) -> list[str]:
    """Give up on uploads without a heartbeat for `timeout` seconds: their images go back to
    `queued` (compare-and-set, so several processes may sweep at once) and their `.part`
    files are removed, as are any `.part` files untouched for that long. The reset ids."""
    now = time.time()
    cutoff = utcnow() - datetime.timedelta(seconds=timeout)
    # Listed before the resets: an upload begun after a reset (it needs `queued`) has a
    # file that is not in this list, so it is never removed by mistake.
    parts = store.part_files()
    reset = [image_id for image_id in db_images.stale_uploads(database, cutoff)
             if db_images.reset_stale_upload(database, image_id, cutoff)]
    for image_id, path, mtime in parts:
        # A live upload touches its file at every heartbeat: an old mtime means nobody does.
        if image_id in reset or now - mtime > timeout:
            store.remove_part_file(path)
    if reset:
        LOG.warning("Uploads with no heartbeat for %ss abandoned, images queued again: %s",
                    timeout, ", ".join(reset))
    return reset
