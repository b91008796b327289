"""`openstack server multi show` and `openstack server backup instance`.

Thin commands: argument parsing, name resolution (as `openstack server show` resolves
names, through the SDK) and output; the HTTP calls are novalite.client.api's.

multi show is a Lister, not one ShowOne per server: a cliff command prints one formatted
result, so only a table (one row per server, the columns of `openstack server list`)
keeps `-f json|yaml|csv|value` parseable and `-c` meaningful; `--long` adds the columns
of `server list --long`, and `openstack server show` stays the way to see every field.
"""

import logging
import sys

from openstackclient.compute.v2 import server as osc_server
from osc_lib import exceptions, utils
from osc_lib.cli import format_columns
from osc_lib.command import command
from oslo_utils import uuidutils

from novalite.client import api

LOG = logging.getLogger(__name__)

COLUMNS = ("ID", "Name", "Status", "Networks", "Image", "Flavor")
LONG_COLUMNS = ("ID", "Name", "Status", "Task State", "Power State", "Networks", "Image",
                "Flavor", "Availability Zone", "Host", "Properties")
FORMATTERS = {
    # The same column types `openstack server list` uses, so the output matches it.
    "Networks": osc_server.AddressesColumn,
    "Power State": osc_server.PowerStateColumn,
    "Properties": format_columns.DictColumn,
}


def _server_id(compute, name_or_id):
    """Uuids as given (multi show reports unknown ones itself); names via the SDK."""
    if uuidutils.is_uuid_like(name_or_id):
        return name_or_id
    return compute.find_server(name_or_id, ignore_missing=False).id


def _call(func, *args, **kwargs):
    """Server errors become CommandErrors: OSC prints their message and exits 1."""
    try:
        return func(*args, **kwargs)
    except api.ClientError as e:
        raise exceptions.CommandError(str(e)) from e


class MultiShowServer(command.Lister):
    """Show several servers in one request (novalite multi-show)"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("server", metavar="<server>", nargs="+",
                            help="Server(s) to show (name or ID)")
        parser.add_argument("--long", action="store_true", default=False,
                            help="List additional fields in output")
        parser.add_argument("-n", "--no-name-lookup", action="store_true", default=False,
                            help="Skip image name lookup (the Image column shows IDs)")
        parser.add_argument("--ignore-missing", action="store_true", default=False,
                            help="Show the servers that exist, warn about the others")
        parser.add_argument("--all-projects", action="store_true", default=False,
                            help="Include servers of all projects (admin only)")
        return parser

    def take_action(self, parsed_args):
        compute = self.app.client_manager.compute
        ids = []
        for value in parsed_args.server:
            try:
                ids.append(_server_id(compute, value))
            except Exception as e:
                if not parsed_args.ignore_missing:
                    raise exceptions.CommandError(str(e)) from e
                print("No server with a name or ID of '%s' exists." % value,
                      file=sys.stderr)
        servers = _call(api.multi_show, self.app.client_manager.novalite, ids,
                        ignore_missing=parsed_args.ignore_missing,
                        all_tenants=parsed_args.all_projects) if ids else []
        for missing in getattr(servers, "not_found", ()):
            print("No server with a name or ID of '%s' exists." % missing, file=sys.stderr)
        images = {} if parsed_args.no_name_lookup else self._image_names(servers)
        columns = LONG_COLUMNS if parsed_args.long else COLUMNS
        rows = [utils.get_dict_properties(_row(s, images), columns, formatters=FORMATTERS)
                for s in servers]
        return columns, rows

    def _image_names(self, servers):
        names = {}
        ids = {(s.get("image") or {}).get("id") for s in servers} - {None}
        for image_id in ids:
            try:
                names[image_id] = self.app.client_manager.image.get_image(image_id).name
            except Exception as e:  # a deleted image still shows its id
                LOG.debug("image %s lookup failed: %s", image_id, e)
        return names


def _row(server, image_names):
    """A server dict flattened to the column keys (get_dict_properties lower-cases and
    underscores the column names)."""
    image = server.get("image") or {}
    flavor = server.get("flavor") or {}
    image_id = image.get("id")
    return {
        "id": server["id"],
        "name": server.get("name"),
        "status": server.get("status"),
        "task_state": server.get("OS-EXT-STS:task_state"),
        "power_state": server.get("OS-EXT-STS:power_state"),
        "networks": server.get("addresses") or {},
        # As `server list`: the image name when known, and boot-from-volume spelled out.
        "image": (image_names.get(image_id) or image_id) if image_id
        else "N/A (booted from volume)",
        # Microversion >= 2.47 embeds the flavor; before that only its id is there.
        "flavor": flavor.get("original_name") or flavor.get("id"),
        "availability_zone": server.get("OS-EXT-AZ:availability_zone"),
        "host": server.get("OS-EXT-SRV-ATTR:host"),
        "properties": server.get("metadata") or {},
    }


class BackupInstance(command.ShowOne):
    """Back up a server into a new image (novalite backup-instance)"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("server", metavar="<server>",
                            help="Server to back up (name or ID)")
        parser.add_argument("--name", metavar="<image-name>", required=True,
                            help="Name of the backup image")
        parser.add_argument("--description", metavar="<description>",
                            help="Description of the backup image")
        parser.add_argument("--wait", action="store_true", default=False,
                            help="Wait for the image to become active")
        return parser

    def take_action(self, parsed_args):
        server = self.app.client_manager.compute.find_server(parsed_args.server,
                                                             ignore_missing=False)
        image_id = _call(api.backup_instance, self.app.client_manager.novalite, server.id,
                         parsed_args.name, description=parsed_args.description)
        if parsed_args.wait:
            image_client = self.app.client_manager.image
            try:
                image_client.wait_for_status(image_client.get_image(image_id), "active",
                                             failures=["killed", "deleted"], interval=1,
                                             wait=3600)
            except Exception as e:
                raise exceptions.CommandError("Error waiting for backup image %s: %s"
                                              % (image_id, e)) from e
        return ("id", "name", "server_id"), (image_id, parsed_args.name, server.id)
