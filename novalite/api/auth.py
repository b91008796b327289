"""Authentication strategies that turn a request's headers into a RequestContext."""

from novalite.context import RequestContext


class Unauthorized(Exception):
    pass


def noauth2(headers, request_id: str) -> RequestContext:
    """Nova's noauth2: X-Auth-Token is 'user:project'; the user 'admin' is an administrator.
    For tests and development only: it trusts whatever the caller says."""
    token = headers.get("x-auth-token")
    if not token:
        raise Unauthorized("Authentication required")
    user_id, _, project_id = token.partition(":")
    project_id = project_id or user_id
    is_admin = user_id == "admin"
    roles = ["admin", "member", "reader"] if is_admin else ["member", "reader"]
    return RequestContext(user_id=user_id, project_id=project_id, roles=roles,
                          is_admin=is_admin, request_id=request_id,
                          global_request_id=headers.get("x-openstack-request-id"))
