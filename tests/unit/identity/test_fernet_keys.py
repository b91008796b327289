"""The key repository: private files, created once, shared by processes."""

import os
import stat

from cryptography.fernet import Fernet

from novalite.identity.fernet_keys import KeyRepository


def test_ensure_creates_a_private_repository(tmp_path):
    repo = KeyRepository(str(tmp_path / "keys"))
    repo.ensure()
    assert sorted(os.listdir(repo.path)) == ["0", "1"]
    assert stat.S_IMODE(os.stat(repo.path).st_mode) == 0o700
    for name in ("0", "1"):
        assert stat.S_IMODE(os.stat(os.path.join(repo.path, name)).st_mode) == 0o600


def test_ensure_keeps_existing_keys(tmp_path):
    repo = KeyRepository(str(tmp_path))
    repo.ensure()
    before = {n: (tmp_path / n).read_bytes() for n in ("0", "1")}
    repo.ensure()
    assert {n: (tmp_path / n).read_bytes() for n in ("0", "1")} == before


def test_two_repositories_on_one_directory_read_each_others_tokens(tmp_path):
    one, two = KeyRepository(str(tmp_path)), KeyRepository(str(tmp_path))
    one.ensure()
    two.ensure()
    assert two.load().decrypt(one.load().encrypt(b"x")) == b"x"


def test_the_highest_key_encrypts_and_older_ones_still_decrypt(tmp_path):
    repo = KeyRepository(str(tmp_path))
    repo.ensure()
    old_token = repo.load().encrypt(b"old")
    (tmp_path / "2").write_bytes(Fernet.generate_key())  # a rotation
    keys = repo.load()
    assert keys.decrypt(old_token) == b"old"
    newest = Fernet((tmp_path / "2").read_bytes())
    assert newest.decrypt(keys.encrypt(b"new")) == b"new"
