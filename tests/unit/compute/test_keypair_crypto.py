"""Fingerprints as Nova computes them (checked against ssh-keygen -l -E md5 and openssl
x509 -fingerprint -sha1), key validation, and generated key pairs."""

import base64

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from novalite import exception
from novalite.compute import keypair_crypto

ED25519 = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJy/hJ8JLq5y3WVSMjWavoyPnXIPDUQmNBqRb3RzQGu4 "
           "test@example")
RSA = ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCkJDzeb3sJnnxGx4I0fI87PcwZu7rD47JM4Q1iILjO4bK"
       "d7Os+KHyn49RivEqKqLA6/bbOaj5JxLm3THIoG12QTm0IfirbuC+X+sKtIs3ZF4WD0zg7vo7rYaRXbiICaZk"
       "6+xkI0L7xmOKnsGACZOj55LSiq27fq6lAsN4qckoKew== rsa")
ECDSA = ("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBKHOoGzMk37"
         "AmNtHfg74AcWyqIoMVDV83/QIQU3t7z/uWMkWBl+aWeQErlDQenEVlHEcCNGpgbjZ/K6Ejm7thts= ecdsa")
CERT = """-----BEGIN CERTIFICATE-----
MIICADCCAWmgAwIBAgIUMfwi9odykkvTUu2iLsqzipxoWN0wDQYJKoZIhvcNAQEL
BQAwETEPMA0GA1UEAwwGdGVzdGVyMCAXDTI2MTEyMjAxNDUyN1oYDzIxMjYxMDI5
MDE0NTI3WjARMQ8wDQYDVQQDDAZ0ZXN0ZXIwgZ8wDQYJKoZIhvcNAQEBBQADgY0A
MIGJAoGBAJhE/QZ4hkxb9h7j+6LQMI5jdEfYvmMTu7zVYj6fw91KdHPBhW8diYKh
iF/lhIw4I2/PVNqH3RmLxlBImYPiH4j7p1iLW0e7k1onRViUMCAjYBdRX5MxynUC
NObdteON5GGB8o4wuQ3OnwWVmkkAdhZyibdBTOw/Y9sIDZuYOG9fAgMBAAGjUzBR
MB0GA1UdDgQWBBRbMjgQp9FTQf0XJ8snMgtYs6sP2DAfBgNVHSMEGDAWgBRbMjgQ
p9FTQf0XJ8snMgtYs6sP2DAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUA
A4GBAEQvtBL2jmQevv2MLK/deBDF4L53HrxR4yiLBo7V7fD20XOwtBzp57EaYVKC
qg9YxWm4LYAPkFnIqJ3GyOFwOfHvc9zw4l80PzW2DO4Q+MUomULhmA37HVGDxSXZ
maczlmj9m/o15thPUTbER6jmPhNsRX1ti+2Mvnx6SrXIrdbz
-----END CERTIFICATE-----
"""


@pytest.mark.parametrize("key, fingerprint", [
    (ED25519, "a4:90:70:00:f5:49:0b:d1:d3:9c:79:f9:69:49:15:20"),
    (RSA, "b3:1b:94:aa:64:98:16:97:5a:64:70:3d:c0:3a:7a:1f"),
    (ECDSA, "a2:30:97:80:73:1d:ed:73:85:87:aa:95:fa:cc:84:f6"),
    (RSA + "\n", "b3:1b:94:aa:64:98:16:97:5a:64:70:3d:c0:3a:7a:1f"),  # as read from a file
    (RSA.rsplit(" ", 1)[0], "b3:1b:94:aa:64:98:16:97:5a:64:70:3d:c0:3a:7a:1f"),  # no comment
])
def test_ssh_fingerprint_is_md5_of_the_key_blob(key, fingerprint):
    assert keypair_crypto.ssh_fingerprint(key) == fingerprint


@pytest.mark.parametrize("key", [
    "", "ssh-rsa", "not a key at all", "ssh-rsa !!!notbase64!!! x",
    "ssh-rsa " + base64.b64encode(b"junk").decode(),
    ED25519.replace("ssh-ed25519", "ssh-rsa"),  # the blob says otherwise
    ED25519[:60],  # truncated
    CERT,
    "ssh-rsa AAAA\u00e9 x",
])
def test_anything_else_is_an_invalid_keypair(key):
    with pytest.raises(exception.InvalidKeypair, match="failed to generate fingerprint"):
        keypair_crypto.ssh_fingerprint(key)


def test_x509_fingerprint_is_sha1_of_the_certificate():
    assert keypair_crypto.x509_fingerprint(CERT) == \
        "1f:a7:0a:7b:3b:32:dc:73:5a:cf:9d:4d:79:a9:da:62:32:40:38:ac"


@pytest.mark.parametrize("pem", ["", RSA, CERT.replace("MIIC", "XXXX"), CERT[:200]])
def test_a_bad_certificate_is_an_invalid_keypair(pem):
    with pytest.raises(exception.InvalidKeypair, match="X509 fingerprint"):
        keypair_crypto.x509_fingerprint(pem)


def test_generated_ssh_key_pair_matches_its_public_half():
    private_pem, public_line, fingerprint = keypair_crypto.generate_ssh_key_pair()
    assert private_pem.startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert public_line.startswith("ssh-rsa ") and public_line.endswith(" Generated-by-Nova")
    assert fingerprint == keypair_crypto.ssh_fingerprint(public_line)
    private = serialization.load_pem_private_key(private_pem.encode(), None)
    assert private.key_size == 2048
    derived = private.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                                serialization.PublicFormat.OpenSSH)
    assert public_line.startswith(derived.decode() + " ")
    assert keypair_crypto.generate_ssh_key_pair()[1] != public_line  # a new key each time


def test_generated_x509_certificate_is_a_winrm_client_certificate():
    bundle, pem, fingerprint = keypair_crypto.generate_x509_cert("alice")
    assert fingerprint == keypair_crypto.x509_fingerprint(pem)
    cert = x509.load_pem_x509_certificate(pem.encode())
    assert cert.subject.rfc4514_string() == "CN=alice"
    usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH in usage
    (upn,) = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert upn.value == b"\x0c\x0falice@localhost"  # a DER UTF8String
    key, in_bundle, _ = pkcs12.load_key_and_certificates(base64.b64decode(bundle), b"")
    assert in_bundle == cert
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()


def test_long_user_ids_get_long_form_der_lengths():
    _, pem, _ = keypair_crypto.generate_x509_cert("u" * 200)
    cert = x509.load_pem_x509_certificate(pem.encode())
    (upn,) = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    text = ("u" * 200 + "@localhost").encode()
    assert upn.value == b"\x0c\x81" + bytes([len(text)]) + text
    assert cert.subject.rfc4514_string() == "CN=" + "u" * 64  # the most a CN may hold
