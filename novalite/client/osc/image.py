"""`openstack image predistribute` and `openstack image predistribution show|list|delete`.

Thin commands on novalite.client.api: images are resolved by name or ID as `openstack
image show` resolves them (the SDK's find_image); jobs are shown with their per-host
states in one `hosts` column (one line per host in a table, the host dicts in -f json).
`--wait` draws per-host progress on stderr (stdout stays the formatted job), then shows
the finished job and exits 1 unless every host has the image.
"""

import logging

from cliff import columns
from openstack import exceptions as sdk_exceptions
from osc_lib import exceptions
from osc_lib.command import command

from novalite.client import api, progress
from novalite.client.osc.server import _call

LOG = logging.getLogger(__name__)

JOB_FIELDS = ("id", "image_id", "status", "progress", "created_at", "started_at",
              "finished_at", "hosts")
LIST_COLUMNS = ("ID", "Image", "Status", "Progress", "Created")


class HostsColumn(columns.FormattableColumn):
    """A job's hosts: "compute1: done 256.0 KiB/256.0 KiB (100%)" lines for people, the
    host dicts for -f json/yaml."""

    def human_readable(self):
        return "\n".join(progress.log_line(h) for h in self._value or [])

    def machine_readable(self):
        return [dict(h) for h in self._value or []]


def _job_data(job):
    return JOB_FIELDS, tuple(HostsColumn(job.get("hosts") or []) if f == "hosts"
                             else job.get(f) for f in JOB_FIELDS)


def _find_image(image_client, name_or_id):
    """As `openstack image show` finds it (the SDK's find_image); any failure names the
    image, whatever the image service answered."""
    try:
        return image_client.find_image(name_or_id, ignore_missing=False)
    except sdk_exceptions.SDKException as e:
        raise exceptions.CommandError("Unable to find image '%s': %s"
                                      % (name_or_id, e)) from e


class PredistributeImage(command.ShowOne):
    """Push an image into compute hosts' image caches (novalite image pre-distribution)"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("image", metavar="<image>",
                            help="Image to distribute (name or ID)")
        parser.add_argument("--host", metavar="<host>", dest="hosts", action="append",
                            help="Compute host to cache the image on (repeat for more)")
        parser.add_argument("--aggregate", metavar="<aggregate>",
                            help="Cache the image on this aggregate's hosts (ID or UUID)")
        parser.add_argument("--availability-zone", metavar="<availability-zone>",
                            help="Cache the image on this availability zone's hosts")
        parser.add_argument("--wait", action="store_true", default=False,
                            help="Show per-host progress on stderr until the job finishes; "
                                 "exit 1 unless every host has the image")
        return parser

    def take_action(self, parsed_args):
        self._failed = False
        image = _find_image(self.app.client_manager.image, parsed_args.image)
        novalite = self.app.client_manager.novalite
        job = _call(api.predistribute, novalite, image.id, hosts=parsed_args.hosts,
                    aggregate=parsed_args.aggregate,
                    availability_zone=parsed_args.availability_zone)
        if parsed_args.wait:
            job = _call(api.wait_for_predistribution, novalite, job["id"],
                        on_progress=progress.ProgressDisplay(self.app.stderr))
            failed = api.failed_hosts(job)
            for host in failed:
                LOG.error("Image %s did not reach host %s: %s", job["image_id"],
                          host["host"], host.get("message") or host["state"])
            self._failed = bool(failed)
        return _job_data(job)

    def run(self, parsed_args):
        # The finished job is printed either way; a host without the image fails the
        # command, so scripts and CI can rely on the exit code.
        result = super().run(parsed_args)
        return result or (1 if self._failed else 0)


class ShowPredistribution(command.ShowOne):
    """Show an image pre-distribution job and its hosts"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("job", metavar="<job>", help="Job to show (ID)")
        return parser

    def take_action(self, parsed_args):
        return _job_data(_call(api.get_predistribution, self.app.client_manager.novalite,
                               parsed_args.job))


class ListPredistribution(command.Lister):
    """List image pre-distribution jobs, newest first"""

    def take_action(self, parsed_args):
        jobs = _call(api.list_predistributions, self.app.client_manager.novalite)
        return LIST_COLUMNS, [(j["id"], j["image_id"], j["status"], j.get("progress"),
                               j.get("created_at")) for j in jobs]


class DeletePredistribution(command.Command):
    """Cancel image pre-distribution job(s): hosts not yet downloading are skipped"""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument("job", metavar="<job>", nargs="+", help="Job(s) to cancel (ID)")
        return parser

    def take_action(self, parsed_args):
        errors = 0
        for job_id in parsed_args.job:
            try:
                api.cancel_predistribution(self.app.client_manager.novalite, job_id)
            except api.ClientError as e:
                errors += 1
                LOG.error("Failed to cancel image pre-distribution job %s: %s", job_id, e)
        if errors:
            raise exceptions.CommandError("%d of %d job(s) failed to cancel."
                                          % (errors, len(parsed_args.job)))
