"""DescribeKeyPairs, CreateKeyPair, ImportKeyPair, DeleteKeyPair: the caller's key pairs,
the same ones the OpenStack API's os-keypairs lists."""

import base64
import binascii

from novalite import exception
from novalite.api.ec2 import errors

_FILTERS = ("key-name", "fingerprint", "key-pair-id")


def _key_pair_id(keypair) -> str:
    return "key-%017x" % (keypair.id or 0)


def _view(keypair) -> dict:
    return {"keyPairId": _key_pair_id(keypair), "keyName": keypair.name,
            "keyFingerprint": keypair.fingerprint, "keyType": "rsa"
            if keypair.public_key.startswith("ssh-rsa") else "ed25519"
            if keypair.public_key.startswith("ssh-ed25519") else None,
            "createTime": keypair.created_at, "tagSet": []}


def describe_key_pairs(req):
    params = req.params
    filters = params.filters(_FILTERS)
    names = params.strings("KeyName")
    keypairs = req.compute_api.keypairs.list(req.context, req.context.user_id)
    if names:
        by_name = {k.name: k for k in keypairs}
        missing = [n for n in names if n not in by_name]
        if missing:
            raise errors.InvalidKeyPairNotFound(
                "The key pair '%s' does not exist" % missing[0][:255])
        keypairs = [by_name[n] for n in dict.fromkeys(names)]
    items = []
    for keypair in keypairs:
        values = {"key-name": keypair.name, "fingerprint": keypair.fingerprint,
                  "key-pair-id": _key_pair_id(keypair)}
        if all(values[n] in v for n, v in filters.items()):
            items.append(_view(keypair))
    return {"keySet": items}


def _key_name(params) -> str:
    name = params.require("KeyName")
    if len(name) > 255:
        raise errors.InvalidParameterValue("Key names have at most 255 characters.")
    return name


def create_key_pair(req):
    keypair, private_key = req.compute_api.keypairs.create_key_pair(
        req.context, req.context.user_id, _key_name(req.params))
    return {"keyName": keypair.name, "keyFingerprint": keypair.fingerprint,
            "keyMaterial": private_key, "keyPairId": _key_pair_id(keypair)}


def import_key_pair(req):
    name = _key_name(req.params)
    material = req.params.require("PublicKeyMaterial")
    try:  # a blob: base64-encoded on the wire (boto3 encodes it)
        public_key = base64.b64decode(material, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        public_key = material  # the aws CLI and some tools send the key itself
    try:
        keypair = req.compute_api.keypairs.import_key_pair(req.context, req.context.user_id,
                                                           name, public_key.strip())
    except (exception.Invalid, ValueError) as e:
        raise errors.InvalidKeyFormat("Key is not in valid OpenSSH public key format: %s"
                                      % str(e)[:200]) from None
    return {"keyName": keypair.name, "keyFingerprint": keypair.fingerprint,
            "keyPairId": _key_pair_id(keypair)}


def delete_key_pair(req):
    name = req.params.get("KeyName")
    if not name:
        raise errors.MissingParameter("The request must contain the parameter KeyName.")
    try:
        req.compute_api.keypairs.delete(req.context, req.context.user_id, name)
    except exception.KeypairNotFound:
        pass  # as EC2: deleting a missing key pair succeeds
    return {"return": True}
