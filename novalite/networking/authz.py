"""Policy checks for the network service: novalite's enforcer, Neutron's rule names and
Neutron's answers (a resource the caller may not see is a 404; one it may see but not
change is a 403)."""

from novalite import exception as nl_exception
from novalite import policy
from novalite.networking import exceptions


def allowed(ctxt, rule: str, target: dict) -> bool:
    try:
        policy.authorize(ctxt, rule, target)
    except nl_exception.PolicyNotAuthorized:
        return False
    return True


def authorize(ctxt, rule: str, target: dict) -> None:
    if not allowed(ctxt, rule, target):
        raise exceptions.PolicyNotAuthorized(action=rule)


def network_target(network) -> dict:
    """What a rule about a network, or about a subnet or port on it, may look at."""
    return {"network:project_id": network.project_id,
            "network:shared": network.shared,
            "network:router:external": network.external}
