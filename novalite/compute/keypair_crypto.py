"""Key material for key pairs, with the `cryptography` library: fingerprints of imported
keys and server-generated key pairs, computed exactly as Nova's nova/crypto.py does."""

import base64
import binascii
import datetime
import hashlib

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from novalite import exception

_RSA_BITS = 2048
# Microsoft's User Principal Name: WinRM maps a client certificate to a user by it.
_UPN_OID = x509.ObjectIdentifier("1.3.6.1.4.1.311.20.2.3")


def _colon_hex(digest: bytes) -> str:
    return ":".join("%02x" % b for b in digest)


def ssh_fingerprint(public_key: str) -> str:
    """MD5 of the decoded key blob, colon-separated hex (what `ssh-keygen -l -E md5` shows
    and Nova stores), after checking that the line is an OpenSSH public key."""
    try:
        line = public_key.strip()
        if "\x00" in line:  # a comment may hold anything else; no database stores this
            raise ValueError("NUL in key")
        serialization.load_ssh_public_key(line.encode("utf-8"))
        blob = base64.b64decode(line.split()[1], validate=True)
    except (ValueError, IndexError, TypeError, UnicodeError, binascii.Error,
            UnsupportedAlgorithm) as e:
        raise exception.InvalidKeypair(reason="failed to generate fingerprint") from e
    return _colon_hex(hashlib.md5(blob, usedforsecurity=False).digest())


def x509_fingerprint(pem: str) -> str:
    """SHA-1 of the certificate, colon-separated hex (as Nova)."""
    try:
        if "\x00" in pem:  # the PEM parser skips what follows the certificate
            raise ValueError("NUL in certificate")
        cert = x509.load_pem_x509_certificate(pem.encode("utf-8"))
    except (ValueError, TypeError, UnicodeError) as e:
        raise exception.InvalidKeypair(reason="failed to generate X509 fingerprint. Error "
                                       "message: %s" % e) from e
    return _colon_hex(cert.fingerprint(hashes.SHA1()))


def generate_ssh_key_pair() -> tuple[str, str, str]:
    """A new RSA key as Nova makes one: (private key PEM, OpenSSH public line,
    fingerprint). The private key is handed out once and never stored."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=_RSA_BITS)
    private_pem = key.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.TraditionalOpenSSL,
                                    serialization.NoEncryption()).decode("ascii")
    public_line = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                                serialization.PublicFormat.OpenSSH).decode()
    public_line += " Generated-by-Nova"
    return private_pem, public_line, ssh_fingerprint(public_line)


def _der_utf8_string(text: str) -> bytes:
    data = text.encode("utf-8")
    if len(data) < 0x80:
        return bytes([0x0C, len(data)]) + data
    size = len(data).to_bytes((len(data).bit_length() + 7) // 8, "big")
    return bytes([0x0C, 0x80 | len(size)]) + size + data


def generate_x509_cert(user_id: str) -> tuple[str, str, str]:
    """A WinRM client certificate as Nova's generate_winrm_x509_cert makes one: (private key
    and certificate as base64 PKCS#12 with an empty password, certificate PEM,
    fingerprint)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=_RSA_BITS)
    # A common name holds 64 bytes at most; the UPN below keeps the whole user id.
    common_name = user_id.encode("utf-8")[:64].decode("utf-8", "ignore")
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.OtherName(
                _UPN_OID, _der_utf8_string("%s@localhost" % user_id))]), critical=False)
            .sign(key, hashes.SHA256()))
    pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
    bundle = pkcs12.serialize_key_and_certificates(None, key, cert, None,
                                                   serialization.NoEncryption())
    return base64.b64encode(bundle).decode("ascii"), pem, x509_fingerprint(pem)
