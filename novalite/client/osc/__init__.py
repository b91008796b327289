"""OpenStackClient plugin for novalite's compute extensions (see plugin.py)."""
