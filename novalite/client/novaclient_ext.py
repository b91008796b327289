"""python-novaclient extension for novalite's multi-show, backup-instance and image
pre-distribution.

Registered as entry point `novalite` in group `novaclient.extension`, so with novalite
installed the stock `nova` CLI gains:

    nova multi-show [--minimal] [--wrap N] [--ignore-missing] [--all-tenants]
                    <server> [<server> ...]     one `nova show` table per server
    nova backup-instance <server> <name> [<description>]     prints the new image id
    nova image-predistribute <image> [--host H ...] [--aggregate A]
                             [--availability-zone Z] [--wait]
                             push an image into compute hosts' caches (admin only by
                             default); prints the job and a per-host table. --wait shows
                             per-host progress and exits 1 unless every host has the image
    nova image-predistribution-show <job> | image-predistribution-list |
         image-predistribution-cancel <job>

Servers are given by ID or name; names are resolved as `nova show` resolves them
(novaclient's find_resource), ids go straight into the one multi_show request. Images
are given by ID or name, resolved as `nova boot --image` resolves them (GET /v2/images
?name= on the image service).

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
    nova.novalite.predistribute(image_or_id, hosts=None, aggregate=None,
                                availability_zone=None) -> job dict
    nova.novalite.get_predistribution(job_id) / list_predistributions()
        / cancel_predistribution(job_id)
    nova.novalite.wait_for_predistribution(job_id, on_progress=None, interval=0.5,
                                           timeout=None) -> the finished job dict

Jobs are plain dicts, shaped as on the wire (novalite.client.api).

Errors are novaclient's own (novaclient.exceptions.NotFound, BadRequest ...), built from
the server's fault answer as for any other nova call. The HTTP calls themselves are made
by novalite.client.api on the client's keystoneauth1 session.
"""

import sys

from novaclient import base, exceptions, utils
from novaclient.v2 import servers as nova_servers
from novaclient.v2 import shell as nova_shell
from oslo_utils import uuidutils  # a novaclient dependency

from novalite.client import api, progress

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

    def predistribute(self, image, hosts=None, aggregate=None, availability_zone=None):
        """Start pushing an image (Image object or id) into compute hosts' caches."""
        return self._call(api.predistribute, base.getid(image), hosts=hosts,
                          aggregate=aggregate, availability_zone=availability_zone)

    def get_predistribution(self, job_id):
        return self._call(api.get_predistribution, job_id)

    def list_predistributions(self):
        return self._call(api.list_predistributions)

    def cancel_predistribution(self, job_id):
        self._call(api.cancel_predistribution, job_id)

    def wait_for_predistribution(self, job_id, on_progress=None, interval=0.5,
                                 timeout=None):
        """Poll until the job is done, error or cancelled; returns it."""
        return self._call(api.wait_for_predistribution, job_id, on_progress=on_progress,
                          interval=interval, timeout=timeout)

    def _call(self, func, *args, **kwargs):
        try:
            return func(self._compute(), *args, **kwargs)
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


# --- image pre-distribution -------------------------------------------------------------

JOB_FIELDS = ("id", "image_id", "status", "progress", "created_at", "started_at",
              "finished_at")
HOST_COLUMNS = ("Host", "State", "Progress", "Bytes", "Message")
_HOST_FORMATTERS = {
    # print_list reads attributes; our hosts are dicts, so every column is a formatter.
    "Host": lambda h: h["host"],
    "State": lambda h: h["state"],
    "Progress": lambda h: progress.format_percent(progress.host_percent(h)).strip(),
    "Bytes": progress.host_bytes,
    "Message": lambda h: h.get("message") or "-",
}
JOB_COLUMNS = ("ID", "Image", "Status", "Progress", "Created")
_JOB_FORMATTERS = {
    "ID": lambda j: j["id"],
    "Image": lambda j: j["image_id"],
    "Status": lambda j: j["status"],
    "Progress": lambda j: "%.1f%%" % (j.get("progress") or 0),
    "Created": lambda j: j["created_at"],
}


def _find_image(cs, name_or_id):
    """As `nova boot --image` finds it (cs.glance: GET /v2/images?name=), but an unknown
    id is named in the error too (novaclient's own says only "Not found")."""
    try:
        return cs.glance.find_image(name_or_id)
    except exceptions.NotFound:
        raise exceptions.CommandError(
            "No image with a name or ID of '%s' exists." % name_or_id) from None
    except exceptions.NoUniqueMatch as e:
        raise exceptions.CommandError(str(e)) from None


def _print_job(job):
    utils.print_dict({f: "-" if job.get(f) is None else job[f] for f in JOB_FIELDS})
    utils.print_list(job.get("hosts") or [], HOST_COLUMNS, formatters=_HOST_FORMATTERS)


@utils.arg('image', metavar='<image>', help='Name or ID of the image.')
@utils.arg(
    '--host', dest='hosts', metavar='<host>', action='append', default=None,
    help='Compute host to cache the image on (repeat for several hosts).')
@utils.arg(
    '--aggregate', metavar='<aggregate>', default=None,
    help='Cache the image on the hosts of this aggregate (ID or UUID).')
@utils.arg(
    '--availability-zone', dest='availability_zone', metavar='<availability-zone>',
    default=None, help='Cache the image on the hosts of this availability zone.')
@utils.arg(
    '--wait', dest='wait', action='store_true', default=False,
    help='Show per-host progress until the job finishes; exit 1 unless every host '
         'has the image.')
def do_image_predistribute(cs, args):
    """Push an image into compute hosts' image caches before a boot wave (novalite
    extension; every enabled compute host unless --host, --aggregate or
    --availability-zone narrows it)."""
    image = _find_image(cs, args.image)
    job = cs.novalite.predistribute(image, hosts=args.hosts, aggregate=args.aggregate,
                                    availability_zone=args.availability_zone)
    if args.wait:
        job = cs.novalite.wait_for_predistribution(
            job["id"], on_progress=progress.ProgressDisplay(sys.stdout))
    _print_job(job)
    failed = api.failed_hosts(job) if args.wait else []
    if failed:
        raise exceptions.CommandError(
            "Image %s did not reach host(s) %s (job %s %s)." % (
                job["image_id"], ", ".join("%s: %s" % (h["host"], h["state"]) for h in failed),
                job["id"], job["status"]))


@utils.arg('job', metavar='<job>', help='ID of the image pre-distribution job.')
def do_image_predistribution_show(cs, args):
    """Show an image pre-distribution job and its hosts (novalite extension)."""
    _print_job(cs.novalite.get_predistribution(args.job))


def do_image_predistribution_list(cs, args):
    """List image pre-distribution jobs, newest first (novalite extension)."""
    utils.print_list(cs.novalite.list_predistributions(), JOB_COLUMNS,
                     formatters=_JOB_FORMATTERS)


@utils.arg('job', metavar='<job>', help='ID of the image pre-distribution job.')
def do_image_predistribution_cancel(cs, args):
    """Cancel an image pre-distribution job: hosts not yet downloading are skipped
    (novalite extension)."""
    cs.novalite.cancel_predistribution(args.job)
    print("Request to cancel image pre-distribution job %s has been accepted." % args.job)
