"""Networking for instances: one built-in network with fixed IPs (no Neutron)."""
