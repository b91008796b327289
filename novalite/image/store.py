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
HEAD_SIZE = 512  # the bytes kept from the start of the data, for its format's header

# hashlib releases the GIL on large buffers: MD5 and the file write run here while the
# writer thread does SHA-512, so one upload uses two cores. (The two hashes cost about the
# same; with the write on SHA-512's side instead, the store alone was ~40% slower.)
_MD5_THREADS = concurrent.futures.ThreadPoolExecutor(max_workers=4,
                                                     thread_name_prefix="image-md5")


class StagedFile:
    """An upload in progress: bytes go to a temporary file while MD5 and SHA-512 run."""

    def __init__(self, final_path: str):
        self.final_path = final_path
        self.temp_path = "%s.%s.part" % (final_path, uuid.uuid4().hex)
        self._file = open(self.temp_path, "xb")
        self.size = 0
        self.head = b""
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._hash = hashlib.new(HASH_ALGO)

    def _md5_and_write(self, data) -> None:
        self._md5.update(data)
        self._file.write(data)

    def write(self, data: bytes) -> None:
        """data: bytes or a bytearray nobody changes until this returns."""
        side = _MD5_THREADS.submit(self._md5_and_write, data)
        self._hash.update(data)
        side.result()  # chunks are hashed and written in order: one at a time
        if len(self.head) < HEAD_SIZE:
            self.head += data[:HEAD_SIZE - len(self.head)]
        self.size += len(data)

    def touch(self) -> bool:
        """Mark the temporary file as in use now (writes may sit in a buffer); False if a
        stale-upload sweep removed it."""
        try:
            os.utime(self.temp_path)
        except FileNotFoundError:
            return False
        return True

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
        os.replace(self.temp_path, self.final_path)  # FileNotFoundError if swept

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

    def part_files(self) -> list[tuple[str, str, float]]:
        """(image id, path, mtime) of each temporary file: uploads in progress, and those a
        stopped process left behind."""
        found = []
        for name in os.listdir(self.path):
            if name.endswith(".part"):
                path = os.path.join(self.path, name)
                try:
                    found.append((name.split(".", 1)[0], path, os.stat(path).st_mtime))
                except FileNotFoundError:
                    continue  # committed or aborted meanwhile
        return found

    @staticmethod
    def remove_part_file(path: str) -> None:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def from_conf(conf) -> FileStore:
    return FileStore(conf.image.store_path or os.path.join(conf.state_path, "images"))
