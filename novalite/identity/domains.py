"""The one domain, Keystone's "Default" (id "default"): everything lives in it."""

from __future__ import annotations  # methods named list shadow the builtin in annotations

from novalite import exception
from novalite.objects.identity import DEFAULT_DOMAIN_ID, DEFAULT_DOMAIN_NAME

DEFAULT = {"id": DEFAULT_DOMAIN_ID, "name": DEFAULT_DOMAIN_NAME,
           "description": "The default domain", "enabled": True}


def resolve_domain(domain_id: str | None = None, domain_name: str | None = None) -> str:
    """The id of the domain named by id or name (DomainNotFound for anything else)."""
    if domain_id is not None:
        if domain_id != DEFAULT_DOMAIN_ID:
            raise exception.DomainNotFound(domain_id=domain_id)
        return domain_id
    if domain_name is not None and domain_name != DEFAULT_DOMAIN_NAME:
        raise exception.DomainNotFound(domain_id=domain_name)
    if domain_name is None:
        raise exception.DomainNotFound(domain_id="")
    return DEFAULT_DOMAIN_ID


class DomainAPI:
    def list(self, ctxt, name: str | None = None) -> list[dict]:
        ctxt.can("identity:list_domains")
        return [DEFAULT] if name in (None, DEFAULT_DOMAIN_NAME) else []

    def get(self, ctxt, domain_id: str) -> dict:
        ctxt.can("identity:get_domain", {"domain_id": domain_id})
        if domain_id != DEFAULT_DOMAIN_ID:
            raise exception.DomainNotFound(domain_id=domain_id)
        return DEFAULT
