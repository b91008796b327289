"""Password hashing with scrypt (hashlib, OpenSSL's implementation): a random salt per
password, the cost parameters stored in the hash so that changing the configured cost
leaves existing hashes valid, and a constant-time comparison.

Stored form: scrypt$<log2 N>$<r>$<p>$<salt, base64>$<hash, base64>
"""

import base64
import functools
import hashlib
import hmac
import secrets

_R = 8
_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32


def _scrypt(password: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    n = 1 << log2_n
    # OpenSSL refuses to use more memory than maxmem: allow the 128*N*r bytes it needs.
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * n * r + (1 << 20), dklen=_KEY_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, rounds: int) -> str:
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = _scrypt(password, salt, rounds, _R, _P)
    return "scrypt$%d$%d$%d$%s$%s" % (rounds, _R, _P, _b64(salt), _b64(digest))


def verify_password(password: str, encoded: str | None) -> bool:
    """True if `password` matches `encoded`. A missing or malformed hash never matches."""
    try:
        scheme, log2_n, r, p, salt, digest = (encoded or "").split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(log2_n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@functools.lru_cache(maxsize=4)
def _decoy(rounds: int) -> str:
    return hash_password(secrets.token_urlsafe(16), rounds)


def burn_verify(password: str, rounds: int) -> None:
    """Spend the time of a verification without a user, so an unknown user name takes as
    long to refuse as a wrong password (no user enumeration by timing)."""
    verify_password(password, _decoy(rounds))


def generate_password() -> str:
    return secrets.token_urlsafe(18)
