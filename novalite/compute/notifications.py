"""Versioned-style notifications (instance.create.start, ...) over oslo.messaging."""

import logging

LOG = logging.getLogger(__name__)


def instance_payload(instance, **extra) -> dict:
    payload = {
        "uuid": instance.uuid, "display_name": instance.display_name,
        "tenant_id": instance.project_id, "user_id": instance.user_id,
        "host": instance.host, "node": instance.node, "state": instance.vm_state,
        "task_state": instance.task_state, "power_state": instance.power_state,
        "flavor": {"flavorid": instance.flavor.flavorid, "name": instance.flavor.name,
                   "vcpus": instance.flavor.vcpus, "memory_mb": instance.flavor.memory_mb,
                   "root_gb": instance.flavor.root_gb},
        "image_uuid": instance.image_ref, "availability_zone": instance.availability_zone,
        "reservation_id": instance.reservation_id,
    }
    payload.update(extra)
    return payload


class Notifier:
    def __init__(self, messaging_, publisher_id: str):
        self._notifier = messaging_.notifier(publisher_id)

    def info(self, ctxt, event_type: str, instance, **extra) -> None:
        try:
            self._notifier.info(ctxt, event_type, instance_payload(instance, **extra))
        except Exception:  # a notification must never fail the operation it reports
            LOG.exception("Could not send notification %s", event_type)
