"""What every family of the compute API shares: its collaborators, the instance lookup
(project-scoped, a 404 never a 403) and the checks an action makes before it starts, as
Nova's check_instance_lock and check_instance_state decorators."""

from novalite import exception, network
from novalite.compute import notifications
from novalite.compute.aggregates import AggregateAPI
from novalite.compute.flavors import FlavorAPI
from novalite.compute.host_api import HostAPI
from novalite.compute.image_metadata import ImageMetadataAPI
from novalite.compute.keypairs import KeypairAPI
from novalite.compute.predistribution import PredistributionAPI
from novalite.compute.quotas import QuotaAPI
from novalite.compute.rpcapi import ComputeRPC
from novalite.conductor.api import ComputeTaskAPI
from novalite.db import instance_actions as db_actions
from novalite.db import instances as db_instances
from novalite.db import services as db_services
from novalite.image import store as image_store
from novalite.image.api import ImageAPI
from novalite.objects.base import utcnow
from novalite.objects.instance import Instance
from novalite.quota import QuotaEngine

ANY = None  # vm_ok / task_ok: no check on that state


def image_system_metadata(image) -> dict:
    """What a server keeps of the image it boots from, as Nova's
    get_system_metadata_from_image: `image_<property>` keys (rescue reads
    image_base_image_ref, the host image_hw_qemu_guest_agent, unshelve the rest)."""
    values = {"image_%s" % key: str(value)[:255] for key, value in image.properties.items()}
    values.update({"image_disk_format": image.disk_format or "",
                   "image_container_format": image.container_format or "",
                   "image_min_ram": str(image.min_ram), "image_min_disk": str(image.min_disk)})
    values.setdefault("image_base_image_ref", image.id)
    return values


class ComputeAPIBase:
    def __init__(self, conf, database, messaging, service_password: str | None = None):
        """service_password: the service user's, for the network service's checks (given
        in-process by the all-in-one, else from [service_user])."""
        self.conf = conf
        self.database = database
        self.flavors = FlavorAPI(database)
        self.images = ImageAPI(database, image_store.from_conf(conf))
        self.compute_rpc = ComputeRPC(messaging)
        self.hosts = HostAPI(conf, database, self.compute_rpc)
        self.aggregates = AggregateAPI(conf, database)
        self.network_api = network.from_conf(conf, database, service_password)
        self.quota_engine = QuotaEngine(conf, database)
        self.quotas = QuotaAPI(self.quota_engine)
        self.keypairs = KeypairAPI(database, self.quota_engine)
        self.image_metadata = ImageMetadataAPI(self.images, self.quota_engine)
        self.compute_task_api = ComputeTaskAPI(messaging)
        self.predistribution = PredistributionAPI(conf, database, self.images,
                                                  self.compute_task_api.rpc)
        self.notifier = notifications.Notifier(messaging, "api." + conf.host)

    def get(self, ctxt, instance_id: str, read_deleted: bool = False) -> Instance:
        instance = db_instances.get(self.database, instance_id, read_deleted=read_deleted)
        if not ctxt.is_admin and instance.project_id != ctxt.project_id:
            raise exception.InstanceNotFound(instance_id=instance_id)  # 404, never 403
        ctxt.can("os_compute_api:servers:show", {"project_id": instance.project_id})
        return instance

    # -- the checks before an action --------------------------------------------------------

    def _instance_for(self, ctxt, instance_id: str, action: str, rule: str, vm_ok=ANY,
                      task_ok=frozenset({None}), *, check_lock: bool = True,
                      must_have_launched: bool = True, needs_host: bool = False
                      ) -> Instance:
        """The instance, once the caller may run `action` on it in its present state:
        policy `rule`, then the lock (a locked server refuses non-admins, 409), then the
        states (409 with Nova's message), in Nova's order."""
        instance = self.get(ctxt, instance_id)
        ctxt.can(rule, {"project_id": instance.project_id, "user_id": instance.user_id})
        if check_lock and instance.locked and not ctxt.is_admin:
            raise exception.InstanceIsLocked(instance_uuid=instance.uuid)
        if needs_host and not instance.host:
            raise exception.InstanceInvalidState(action=action, instance_uuid=instance.uuid,
                                                 attr="host", state="None")
        self._check_state(instance, action, vm_ok, task_ok, must_have_launched)
        return instance

    def _check_state(self, instance, action, vm_ok=ANY, task_ok=frozenset({None}),
                     must_have_launched: bool = False) -> None:
        if vm_ok is not ANY and instance.vm_state not in vm_ok:
            raise exception.InstanceInvalidState(action=action, instance_uuid=instance.uuid,
                                                 attr="vm_state", state=instance.vm_state)
        if task_ok is not ANY and instance.task_state not in task_ok:
            raise exception.InstanceInvalidState(action=action, instance_uuid=instance.uuid,
                                                 attr="task_state", state=instance.task_state)
        if must_have_launched and not instance.launched_at:
            raise exception.InstanceInvalidState(action=action, instance_uuid=instance.uuid,
                                                 attr="launched_at", state="None")

    def _start_action(self, ctxt, instance, action, task_state, expected_task_states=(None,),
                      values: dict | None = None) -> None:
        """Move the instance into `task_state` with a compare-and-swap on the task_state
        the checks saw (a concurrent action loses with Nova's 409), and record the action
        (os-instance-actions) it starts."""
        values = {"task_state": task_state, "updated_at": utcnow(), **(values or {})}
        try:
            # One transaction for both: the request queues for the write lock once.
            with self.database.writer() as conn:
                db_instances.update(self.database, instance.uuid, values,
                                    expected_task_state=None if expected_task_states is ANY
                                    else list(expected_task_states), conn=conn)
                db_actions.start(self.database, ctxt, instance.uuid, action, conn=conn)
        except exception.InstanceInvalidState as e:
            raise exception.InstanceInvalidState(
                action=action, instance_uuid=instance.uuid, attr="task_state",
                state=e.message.rsplit(" ", 1)[-1]) from e
        for key, value in values.items():  # the caller's copy is what was saved
            setattr(instance, key, value)

    def _record_action(self, ctxt, instance, action) -> None:
        db_actions.start(self.database, ctxt, instance.uuid, action)

    def _host_is_up(self, host: str) -> bool:
        services = db_services.list_(self.database, host=host, binary="novalite-compute")
        return bool(services) and self.hosts.is_up(services[0])
