import dataclasses
import datetime

from novalite.objects.base import Primitive

KEYPAIR_TYPE_SSH = "ssh"
KEYPAIR_TYPE_X509 = "x509"


@dataclasses.dataclass
class KeyPair(Primitive):
    """A user's public key (an OpenSSH line, or an X.509 certificate in PEM)."""

    name: str
    user_id: str
    public_key: str
    fingerprint: str
    type: str = KEYPAIR_TYPE_SSH
    id: int | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
