"""Key pairs: a user's SSH public keys (or X.509 certificates), imported or generated."""

from novalite.compute import keypair_crypto
from novalite.db import keypairs as db_keypairs
from novalite.objects.keypair import KEYPAIR_TYPE_SSH, KEYPAIR_TYPE_X509, KeyPair

_POLICY = "os_compute_api:os-keypairs:%s"


def _authorize(ctxt, action: str, user_id: str) -> None:
    # The target is the key's owner: a user's own keys, or any user's for an admin.
    ctxt.can(_POLICY % action, {"user_id": user_id})


class KeypairAPI:
    def __init__(self, database, quotas):
        self.database = database
        self.quotas = quotas

    def get(self, ctxt, user_id: str, name: str) -> KeyPair:
        _authorize(ctxt, "show", user_id)
        return db_keypairs.get(self.database, user_id, name)

    def by_name(self, user_id: str, name: str) -> KeyPair:
        """For server create: the caller's own key, no policy of its own (as Nova)."""
        return db_keypairs.get(self.database, user_id, name)

    def list(self, ctxt, user_id: str, limit=None, marker=None) -> list[KeyPair]:
        _authorize(ctxt, "index", user_id)
        return db_keypairs.list_(self.database, user_id, limit=limit, marker=marker)

    def import_key_pair(self, ctxt, user_id: str, name: str, public_key: str,
                        key_type: str = KEYPAIR_TYPE_SSH) -> KeyPair:
        _authorize(ctxt, "create", user_id)
        fingerprint = (keypair_crypto.x509_fingerprint(public_key)
                       if key_type == KEYPAIR_TYPE_X509
                       else keypair_crypto.ssh_fingerprint(public_key))
        return self.quotas.create_keypair(ctxt.project_id, KeyPair(
            name=name, user_id=user_id, public_key=public_key, fingerprint=fingerprint,
            type=key_type))

    def create_key_pair(self, ctxt, user_id: str, name: str,
                        key_type: str = KEYPAIR_TYPE_SSH) -> tuple[KeyPair, str]:
        """Generate a key pair: -> (key pair, private key), the private key never stored."""
        _authorize(ctxt, "create", user_id)
        if key_type == KEYPAIR_TYPE_X509:
            private_key, public_key, fingerprint = keypair_crypto.generate_x509_cert(user_id)
        else:
            private_key, public_key, fingerprint = keypair_crypto.generate_ssh_key_pair()
        keypair = self.quotas.create_keypair(ctxt.project_id, KeyPair(
            name=name, user_id=user_id, public_key=public_key, fingerprint=fingerprint,
            type=key_type))
        return keypair, private_key

    def delete(self, ctxt, user_id: str, name: str) -> None:
        _authorize(ctxt, "delete", user_id)
        db_keypairs.delete(self.database, user_id, name)
