"""A compute host's image cache: base images in `<instances_path>/_base/<image id>`, each
downloaded once from the image API, and the instance disks derived from them in
`<instances_path>/<instance uuid>/disk` (a qcow2 overlay when qemu-img is there, else a
copy). Base images unused by every instance for long enough are removed.
"""

import contextlib
import dataclasses
import logging
import os
import shutil
import subprocess
import tempfile
import time
import uuid

from oslo_concurrency import lockutils

from novalite.image.client import ImageDownloadError

LOG = logging.getLogger(__name__)

_OVERLAY_FORMATS = ("qcow2", "raw")


def host_path(conf, host: str) -> str:
    """The host's directory: [compute] instances_path, else <state_path>/hosts/<host>."""
    # Absolute: qemu-img resolves a relative backing file from the overlay's directory,
    # and libvirt wants absolute paths (the default state_path is ./.novalite).
    return os.path.abspath(conf.compute.instances_path
                           or os.path.join(conf.state_path, "hosts", host))


@dataclasses.dataclass(frozen=True)
class ImageInfo:
    """What a driver's spawn gets: the image's metadata, its cached base file and the
    instance disk made from it."""

    id: str
    meta: dict
    base_path: str
    disk_path: str
    downloaded: bool = False  # fetched for this build (not already in the cache)

    @property
    def disk_format(self) -> str | None:
        return self.meta.get("disk_format")


class ImageCache:
    def __init__(self, instances_path: str, client, qemu_img: str | None = "auto"):
        self.instances_path = os.path.abspath(instances_path)  # see host_path
        self.base_dir = os.path.join(self.instances_path, "_base")
        self.client = client
        self.qemu_img = shutil.which("qemu-img") if qemu_img == "auto" else qemu_img

    def _lock(self, image_id: str):
        # Per image and per host directory: builds run in threads, and hosts of one process
        # (the all-in-one) each have their own cache.
        return lockutils.lock("image-cache-%s-%s" % (self.base_dir, image_id))

    def base_path(self, image_id: str) -> str:
        try:
            uuid.UUID(image_id)  # never a path of our choosing, e.g. '../x'
        except ValueError:
            raise ImageDownloadError(image_id=image_id, reason="not an image id") from None
        return os.path.join(self.base_dir, image_id)

    def _fetch_locked(self, image_id: str, meta: dict, progress=None) -> tuple[str, bool]:
        """(path, downloaded now?)"""
        path = self.base_path(image_id)
        if os.path.exists(path):
            os.utime(path)  # in use now: the cleanup's clock starts again
            return path, False
        os.makedirs(self.base_dir, exist_ok=True)
        # A temp file in _base/ renamed into place: a partial or bad download is never seen
        # as the image, and the rename stays on one file system.
        fd, tmp = tempfile.mkstemp(dir=self.base_dir, prefix=".%s." % image_id)
        try:
            with os.fdopen(fd, "wb") as out:
                size = self.client.download(image_id, meta, out, progress=progress)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        LOG.info("Image %s (%d bytes) cached in %s", image_id, size, self.base_dir)
        return path, True

    def instance_dir(self, instance_uuid: str) -> str:
        return os.path.join(self.instances_path, instance_uuid)

    def prepare(self, instance_uuid: str, image_id: str, disk_name: str = "disk"
                ) -> ImageInfo:
        """Cache the image and make the instance's disk from it (`disk_name` in its
        directory: disk.rescue for a rescue system)."""
        self.base_path(image_id)  # a bad id fails before any request
        meta = self.client.show(image_id)
        directory = self.instance_dir(instance_uuid)
        disk = os.path.join(directory, disk_name)
        fmt = meta.get("disk_format")
        # Under the image's lock, so the cleanup cannot remove the base file meanwhile.
        with self._lock(image_id):
            base, downloaded = self._fetch_locked(image_id, meta)
            os.makedirs(directory, exist_ok=True)
            if self.qemu_img and fmt in _OVERLAY_FORMATS:
                self._overlay(image_id, base, fmt, disk)
            else:
                shutil.copyfile(base, disk)
        return ImageInfo(id=image_id, meta=meta, base_path=base, disk_path=disk,
                         downloaded=downloaded)

    def moved_in(self, instance_uuid: str, image_id: str) -> ImageInfo:
        """What a migrated instance's disk (copied in by its source) came from: the image's
        metadata if it still exists, and its cached file if this host has one. Nothing is
        fetched: the copied disk stands alone."""
        meta = {}
        if image_id:
            try:
                meta = self.client.show(image_id)
            except Exception:  # deleted since the boot: the disk does not need it
                LOG.info("Image %s of migrated instance %s is gone", image_id, instance_uuid)
        base = self.base_path(image_id) if image_id else ""
        return ImageInfo(id=image_id, meta=meta,
                         base_path=base if base and os.path.exists(base) else "",
                         disk_path=os.path.join(self.instance_dir(instance_uuid), "disk"))

    def precache(self, image_id: str, progress=None) -> tuple[str, int]:
        """Put the image in the cache ahead of any build: ('done' | 'already_cached', its
        size in bytes)."""
        self.base_path(image_id)
        meta = self.client.show(image_id)
        with self._lock(image_id):
            path, downloaded = self._fetch_locked(image_id, meta, progress)
            return ("done" if downloaded else "already_cached"), os.path.getsize(path)

    def cached_images(self) -> set[str]:
        try:
            return {n for n in os.listdir(self.base_dir) if not n.startswith(".")}
        except FileNotFoundError:
            return set()

    def _overlay(self, image_id, base, fmt, disk) -> None:
        result = subprocess.run([self.qemu_img, "create", "-f", "qcow2", "-b", base,
                                 "-F", fmt, disk], capture_output=True, text=True)
        if result.returncode != 0:
            raise ImageDownloadError(image_id=image_id, reason="qemu-img create failed: %s"
                                     % result.stderr.strip())

    @contextlib.contextmanager
    def snapshot_file(self, image_id: str):
        """A path for a snapshot on its way to the image service, removed afterwards."""
        directory = os.path.join(self.instances_path, "snapshots")
        os.makedirs(directory, exist_ok=True)
        path = os.path.join(directory, self.base_path(image_id).rsplit(os.sep, 1)[-1])
        try:
            yield path
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    def remove_instance(self, instance_uuid: str) -> None:
        """An instance's directory goes with it; its base image stays in the cache."""
        shutil.rmtree(self.instance_dir(instance_uuid), ignore_errors=True)

    def remove_partial_downloads(self) -> None:
        """Temp files a stopped service left behind (called at start, when this host has no
        download in progress)."""
        with contextlib.suppress(FileNotFoundError):
            for name in os.listdir(self.base_dir):
                if name.startswith("."):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(os.path.join(self.base_dir, name))

    def remove_unused(self, in_use: set[str], max_age: float, now: float | None = None
                      ) -> list[str]:
        """Touch the base images of `in_use`; remove the others unused for max_age seconds
        (the file's mtime is when it was last seen in use). The removed image ids."""
        now = time.time() if now is None else now
        removed = []
        try:
            names = os.listdir(self.base_dir)
        except FileNotFoundError:
            return removed
        for name in names:
            if name.startswith("."):
                continue  # a download in progress
            path = os.path.join(self.base_dir, name)
            with self._lock(name):
                try:
                    if name in in_use:
                        os.utime(path, (now, now))
                    elif now - os.stat(path).st_mtime > max_age:
                        os.unlink(path)
                        removed.append(name)
                except FileNotFoundError:
                    continue
        if removed:
            LOG.info("Removed unused base images from %s: %s", self.base_dir,
                     ", ".join(sorted(removed)))
        return removed
