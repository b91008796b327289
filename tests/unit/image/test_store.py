"""The file store: complete files appear atomically, aborted ones leave nothing."""

import hashlib
import os

import pytest

from novalite.image import demo
from novalite.image.store import FileStore


def test_commit_renames_into_place_with_hashes(tmp_path):
    store = FileStore(str(tmp_path / "images"))
    staged = store.stage("abc")
    staged.write(b"hello ")
    assert store.open("abc") is None  # nothing under the image's name until commit
    staged.write(b"world")
    staged.commit()
    with store.open("abc") as f:
        assert f.read() == b"hello world"
    assert staged.size == 11
    assert staged.checksum == hashlib.md5(b"hello world").hexdigest()
    assert staged.os_hash_value == hashlib.sha512(b"hello world").hexdigest()
    assert os.listdir(store.path) == ["abc"]


def test_abort_leaves_nothing_and_two_stages_do_not_collide(tmp_path):
    store = FileStore(str(tmp_path))
    first, second = store.stage("x"), store.stage("x")
    assert first.temp_path != second.temp_path
    first.write(b"partial")
    first.abort()
    second.abort()
    assert os.listdir(store.path) == []
    store.delete("x")  # deleting what is not there is fine


def test_image_ids_cannot_escape_the_directory(tmp_path):
    store = FileStore(str(tmp_path))
    for bad in ("../etc", ".hidden", ""):
        with pytest.raises(ValueError):
            store.stage(bad)


def test_demo_disk_is_a_deterministic_qcow2():
    disk = demo.qcow2_disk()
    assert disk == demo.qcow2_disk() and len(disk) == 4 * 64 * 1024
    assert disk[:8] == b"QFI\xfb\x00\x00\x00\x02"
    assert int.from_bytes(disk[24:32], "big") == demo.VIRTUAL_SIZE


def test_part_files_are_listed_and_touch_tells_a_swept_file(tmp_path):
    store = FileStore(str(tmp_path))
    staged = store.stage("img")
    os.utime(staged.temp_path, (0, 0))
    assert staged.touch() and os.stat(staged.temp_path).st_mtime > 0
    ((image_id, path, mtime),) = store.part_files()
    assert (image_id, path) == ("img", staged.temp_path) and mtime > 0
    store.remove_part_file(path)
    store.remove_part_file(path)  # already gone is fine
    assert not staged.touch() and store.part_files() == []
    staged.abort()
