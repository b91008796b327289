"""The filesystem image store: one file per image, named by the image id.

Data is written to a temporary name in the same directory and renamed into place only
when it is complete, so a crash or an interrupted upload never leaves a partial file
under an image's name. Temporary names are unique, so several API processes can share
the directory.
"""

import concurrent.futures
import hashlib
import os
import uuid

HASH_ALGO = "sha512"  # Glance's default os_hash_algo

# hashlib releases the GIL on large buffers: MD5 runs here while the writer thread does
# SHA-512 and the file write, so one upload uses two cores (each hash alone is the limit).
_MD5_THREADS = concurrent.futures.ThreadPoolExecutor(max_workers=4,
                                                     thread_name_prefix="image-md5")


class StagedFile:
    """An upload in progress: bytes go to a temporary file while MD5 and SHA-512 run."""

    def __init__(self, final_path: str):
        self.final_path = final_path
        self.temp_path = "%s.%s.part" % (final_path, uuid.uuid4().hex)
        self._file = open(self.temp_path, "xb")
        self.size = 0
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._hash = hashlib.new(HASH_ALGO)

    def write(self, data: bytes) -> None:
        md5 = _MD5_THREADS.submit(self._md5.update, data)
        self._file.write(data)
        self._hash.update(data)
        md5.result()  # chunks are hashed in order: one at a time
        self.size += len(data)

    @property
    def checksum(self) -> str:
        return self._md5.hexdigest()

    @property
    def os_hash_value(self) -> str:
        return self._hash.hexdigest()

    def commit(self) -> None:
        """Make the data durable, then visible under the image's name."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.temp_path, self.final_path)

    def abort(self) -> None:
        self._file.close()
        try:
            os.unlink(self.temp_path)
        except FileNotFoundError:
            pass


class FileStore:
    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        os.makedirs(self.path, exist_ok=True)

    def _path(self, image_id: str) -> str:
        if not image_id or "/" in image_id or image_id.startswith("."):
            raise ValueError("bad image id %r" % image_id)
        return os.path.join(self.path, image_id)

    def stage(self, image_id: str) -> StagedFile:
        return StagedFile(self._path(image_id))

    def open(self, image_id: str):
        """The stored bytes as a binary file, or None when there are none."""
        try:
            return open(self._path(image_id), "rb")
        except FileNotFoundError:
            return None

    def delete(self, image_id: str) -> None:
        try:
            os.unlink(self._path(image_id))
        except FileNotFoundError:
            pass


def from_conf(conf) -> FileStore:
    return FileStore(conf.image.store_path or os.path.join(conf.state_path, "images"))
