"""GET /servers/{id}/os-security-groups: the security groups of a server's ports, in Nova's
shape (ServerSecurityGroupController.index), at every microversion."""


def list_server_security_groups(req, server_id):
    return {"security_groups": req.app.compute_api.list_instance_security_groups(
        req.context, server_id)}
