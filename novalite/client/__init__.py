"""Client side of novalite's compute API extensions (multi-show, backup-instance, image
pre-distribution).

`api` is the one place that speaks the extensions' wire format, on a keystoneauth1
session, so every auth method and clouds.yaml the stock tools support work here too.
`novaclient_ext` (python-novaclient) and `osc` (OpenStackClient) are thin layers on it;
`progress` draws a pre-distribution job's per-host progress for both.
This package never imports server code (tests/test_layering.py).
"""
