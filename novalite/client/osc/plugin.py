"""The OpenStackClient plugin module (entry point `novalite` in `openstack.cli.extension`).

It adds the `novalite` API to OSC's ClientManager: `client_manager.novalite` is a
keystoneauth1 Adapter on the *compute* endpoint (novalite's extensions live beside the
standard compute API), built on OSC's own session, so clouds.yaml, every auth plugin,
--os-interface and --os-region-name apply as for `openstack server ...`. Its commands are
entry points in group `openstack.novalite.v1` (novalite/client/osc/server.py, image.py):

    openstack server multi show <server> [<server> ...]
    openstack server backup instance <server> --name NAME [--description D] [--wait]
    openstack image predistribute <image> [--host H ...] [--aggregate A]
                                  [--availability-zone Z] [--wait]
    openstack image predistribution show <job> | list | delete <job> [<job> ...]

Microversion: `--os-compute-api-version` when given above 2.1; otherwise the compute
endpoint's highest (one discovery GET), as OSC's own server commands negotiate through
the SDK, so the servers shown have the same fields `openstack server show` sees.
"""

import logging

from osc_lib import utils

from novalite.client import api

LOG = logging.getLogger(__name__)

API_NAME = "novalite"
# The version of novalite's extension API; OSC turns its major part into the command
# group `openstack.novalite.v1`.
DEFAULT_API_VERSION = "1"
API_VERSION_OPTION = "os_novalite_api_version"
API_VERSIONS = ("1",)


def make_client(instance):
    """client_manager.novalite: an Adapter on the compute endpoint."""
    compute = api.compute_adapter(instance.session, interface=instance.interface,
                                  region_name=instance.region_name)
    wanted = (getattr(instance, "_api_version", None) or {}).get("compute")
    if wanted in (None, "2", "2.0", "2.1"):  # OSC's default: negotiate instead
        try:
            wanted = api.max_microversion(compute)
        except Exception as e:  # an endpoint without discovery still serves 2.1
            LOG.debug("compute microversion discovery failed: %s", e)
            wanted = None
    LOG.debug("novalite client on the compute endpoint, microversion %s", wanted)
    return api.compute_adapter(compute, microversion=wanted)


def build_option_parser(parser):
    """The global option every OSC plugin offers for its API version."""
    parser.add_argument(
        "--os-novalite-api-version",
        metavar="<novalite-api-version>",
        default=utils.env("OS_NOVALITE_API_VERSION"),
        help="novalite extension API version, default=%s (Env: OS_NOVALITE_API_VERSION)"
        % DEFAULT_API_VERSION)
    return parser
