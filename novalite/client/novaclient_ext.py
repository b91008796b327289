"""python-novaclient extension for novalite's multi-show and backup-instance.

Registered as entry point `novalite` in group `novaclient.extension`, so with novalite
installed the stock `nova` CLI gains:

    nova multi-show [--minimal] [--wrap N] [--ignore-missing] [--all-tenants]
                    <server> [<server> ...]     one `nova show` table per server
    nova backup-instance <server> <name> [<description>]     prints the new image id

Servers are given by ID or name; names are resolved as `nova show` resolves them
(novaclient's find_resource), ids go straight into the one multi_show request.

Python API: novaclient attaches an extension's Manager to the client under the entry
point's name, so the verbs live on `client.novalite` (an extension manager; the stock
`client.servers` is left alone):

    from novaclient import client
    nova = client.Client("2.96", session=sess,
                         extensions=client.discover_extensions("2.96"))
    nova.novalite.multi_show([server_or_id, ...], ignore_missing=False)
        -> [novaclient.v2.servers.Server, ...] (a ListWithMeta; `.not_found` has the
           ids skipped with ignore_missing=True)
    nova.novalite.backup_instance(server_or_id, name, description=None) -> image id

Errors are novaclient's own (novaclient.exceptions.NotFound, BadRequest ...), built from
the server's fault answer as for any other nova call. The HTTP calls themselves are made
by novalite.client.api on the client's keystoneauth1 session.
"""

import sys

from novaclient import base, exceptions, utils
from novaclient.v2 import servers as nova_servers
from novaclient.v2 import shell as nova_shell
from oslo_utils import uuidutils  # a novaclient dependency

from novalite.client import api

# NOTE: novaclient.extension.Extension takes *any* base.Manager subclass found in this
# module's namespace as the extension's manager: import novaclient modules, not classes.


class NovaliteManager(base.Manager):
    """novalite's server extensions, as `client.novalite`."""

    resource_class = nova_servers.Server

    def _compute(self):
        # The client's own adapter (endpoint, interface, region, auth) at its microversion.
        version = self.api_version
        microversion = None if version.is_null() or version.ver_minor == 0 \
            else version.get_string()
        return api.compute_adapter(self.api.client, microversion)

    def multi_show(self, servers, ignore_missing=False, all_tenants=False):
        """Servers (Server objects or ids) in one request, as Server objects."""
        try:
            found = api.multi_show(self._compute(), [base.getid(s) for s in servers],
                                   ignore_missing=ignore_missing, all_tenants=all_tenants)
        except api.ClientError as e:
            raise _nova_error(e) from None
        result = base.ListWithMeta(
            [nova_servers.Server(self.api.servers, info, loaded=True) for info in found],
            None)
        result.not_found = found.not_found
        return result

    def backup_instance(self, server, name, description=None):
        """Snapshot a server into a new image; returns the image id."""
        try:
            return api.backup_instance(self._compute(), base.getid(server), name,
                                       description=description)
        except api.ClientError as e:
            raise _nova_error(e) from None


def _nova_error(error):
    """The novaclient exception `nova` would raise for this answer (NotFound ...)."""
    resp = error.response
    if resp is None:
        return exceptions.ClientException(error.status_code, str(error))
    try:
        body = resp.json()
    except ValueError:
        body = None
    return exceptions.from_response(resp, body, resp.request.url, resp.request.method)


def _server_ids(cs, names_or_ids, ignore_missing):
    """Ids for the CLI's arguments: uuids as given, names via find_resource."""
    ids = []
    for value in names_or_ids:
        if uuidutils.is_uuid_like(value):
            ids.append(value)
            continue
        try:
            ids.append(utils.find_resource(cs.servers, value, wrap_exception=False).id)
        except exceptions.NotFound:
            if not ignore_missing:
                raise exceptions.CommandError(
                    "No server with a name or ID of '%s' exists." % value) from None
            print("No server with a name or ID of '%s' exists." % value, file=sys.stderr)
        except exceptions.NoUniqueMatch as e:
            raise exceptions.CommandError(str(e)) from None
    return ids


@utils.arg(
    '--minimal', dest='minimal', action='store_true', default=False,
    help='Skips flavor/image lookups when showing servers.')
@utils.arg(
    '--wrap', dest='wrap', metavar='<integer>', type=int, default=0,
    help='Wrap the output to a specified length, or 0 to disable.')
@utils.arg(
    '--ignore-missing', dest='ignore_missing', action='store_true', default=False,
    help='Show the servers that exist and name the ones that do not, instead of failing.')
@utils.arg(
    '--all-tenants', dest='all_tenants', action='store_true', default=False,
    help='Show servers of other projects too (Admin only).')
@utils.arg(
    'server', metavar='<server>', nargs='+',
    help='Name or ID of server(s).')
def do_multi_show(cs, args):
    """Show details about several servers in one request (novalite extension)."""
    ids = _server_ids(cs, args.server, args.ignore_missing)
    if not ids:
        return
    servers = cs.novalite.multi_show(ids, ignore_missing=args.ignore_missing,
                                     all_tenants=args.all_tenants)
    for server in servers:
        # Exactly `nova show`'s table (flavor/image lookups, network rows ...).
        nova_shell._print_server(cs, args, server=server, wrap=args.wrap)
    for missing in servers.not_found:
        print("No server with a name or ID of '%s' exists." % missing, file=sys.stderr)


@utils.arg('server', metavar='<server>', help='Name or ID of server.')
@utils.arg('name', metavar='<name>', help='Name of the backup image.')
@utils.arg('description', metavar='<description>', nargs='?', default=None,
           help='Description of the backup image.')
def do_backup_instance(cs, args):
    """Back up a server into a new image and print the image's ID (novalite extension)."""
    server = nova_shell._find_server(cs, args.server)
    print(cs.novalite.backup_instance(server, args.name, args.description))
