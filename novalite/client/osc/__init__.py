"""OpenStackClient plugin for novalite's server extensions (see plugin.py)."""
