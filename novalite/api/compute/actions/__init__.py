"""Handlers of POST /servers/{id}/action, one module per family (as compute/api/); the
table of action names is api/compute/server_actions.py."""
