"""scrypt password hashes: salted, self-describing, compared in constant time."""

import pytest

from novalite.identity import passwords


def test_a_hash_verifies_its_password_only():
    encoded = passwords.hash_password("correct horse", rounds=10)
    assert passwords.verify_password("correct horse", encoded)
    assert not passwords.verify_password("correct horsE", encoded)
    assert not passwords.verify_password("", encoded)


def test_the_password_is_not_in_the_hash_and_salts_differ():
    first = passwords.hash_password("s3cret-value", rounds=10)
    second = passwords.hash_password("s3cret-value", rounds=10)
    assert "s3cret-value" not in first
    assert first != second  # a random salt each time
    assert first.startswith("scrypt$10$8$1$")


def test_a_hash_keeps_its_own_cost():
    """Changing [identity] password_hash_rounds must not lock existing users out."""
    old = passwords.hash_password("pw", rounds=11)
    assert old.split("$")[1] == "11"
    assert passwords.verify_password("pw", old)


@pytest.mark.parametrize("encoded", [None, "", "plain", "bcrypt$1$2$3$4$5",
                                     "scrypt$x$8$1$AAAA$AAAA", "scrypt$10$8$1$!!$??"])
def test_missing_or_malformed_hashes_never_match(encoded):
    assert not passwords.verify_password("pw", encoded)


def test_unicode_passwords():
    encoded = passwords.hash_password("pässwörd ✓", rounds=10)
    assert passwords.verify_password("pässwörd ✓", encoded)
    assert not passwords.verify_password("passwort", encoded)


def test_generated_passwords_differ():
    generated = {passwords.generate_password() for _ in range(20)}
    assert len(generated) == 20
    assert all(len(p) >= 20 for p in generated)
