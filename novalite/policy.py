"""Policy enforcement with oslo.policy: defaults in code (novalite/policies/), overrides
from a policy.yaml ([oslo_policy] policy_file, looked up beside the config files and in the
state directory)."""

import functools
import threading

from oslo_config import cfg
from oslo_policy import opts as policy_opts
from oslo_policy import policy

from novalite import exception, policies

_lock = threading.Lock()
_enforcer: policy.Enforcer | None = None


def init(conf: cfg.ConfigOpts | None = None) -> policy.Enforcer:
    """Build the process's enforcer from `conf` (once; later calls return it)."""
    global _enforcer
    with _lock:
        if _enforcer is None:
            if conf is None:
                conf = cfg.ConfigOpts()
                conf([], project="novalite")
            policy_opts.set_defaults(conf)
            enforcer = policy.Enforcer(conf)
            enforcer.register_defaults(policies.list_rules())
            enforcer.load_rules()
            # Rules are read once at start; without this oslo.policy looks for a changed
            # policy file on every check.
            enforcer.use_conf = False
            _enforcer = enforcer
        return _enforcer


def reset() -> None:
    """Forget the enforcer and cached decisions (tests that change policy)."""
    global _enforcer
    with _lock:
        _enforcer = None
    _allowed.cache_clear()


@functools.lru_cache(maxsize=4096)
def _allowed(rule: str, target: tuple, user_id, project_id, roles: tuple, is_admin) -> bool:
    """A decision depends only on these values, so it is computed once per combination."""
    creds = {"user_id": user_id, "project_id": project_id, "roles": list(roles),
             "is_admin": is_admin}
    return init().enforce(rule, dict(target), creds)


def authorize(context, rule: str, target: dict | None = None) -> None:
    target = target if target is not None else {"project_id": context.project_id,
                                                "user_id": context.user_id}
    if not _allowed(rule, tuple(sorted(target.items())), context.user_id, context.project_id,
                    tuple(context.roles), context.is_admin):
        raise exception.PolicyNotAuthorized(action=rule)


def check(context, rule: str, target: dict | None = None) -> bool:
    try:
        authorize(context, rule, target)
    except exception.PolicyNotAuthorized:
        return False
    return True


def sample() -> str:
    """The defaults as a commented policy.yaml (`novalite policy sample`)."""
    lines = ["# novalite policy defaults. Uncomment and change a rule to override it.", ""]
    for rule in policies.list_rules():
        for text in (rule.description or "").splitlines():
            lines.append("# " + text)
        for op in getattr(rule, "operations", None) or []:
            lines.append("# %s %s" % (op["method"], op["path"]))
        lines.append('#"%s": "%s"' % (rule.name, rule.check_str))
        lines.append("")
    return "\n".join(lines)
