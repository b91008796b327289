"""Builders for each service, shared by the all-in-one and the separate binaries."""

import os

from novalite import network, service
from novalite.compute import image_cache
from novalite.compute.manager import ComputeManager
from novalite.compute.rpcapi import TOPIC as COMPUTE_TOPIC
from novalite.conductor.manager import ConductorManager
from novalite.conductor.rpcapi import TOPIC as CONDUCTOR_TOPIC
from novalite.image import client as image_client
from novalite.scheduler.manager import SchedulerManager
from novalite.scheduler.rpcapi import TOPIC as SCHEDULER_TOPIC


def conductor(conf, database, messaging, host) -> service.Service:
    manager = ConductorManager(conf, database, messaging, host)
    return service.Service(conf, database, messaging, host, "novalite-conductor",
                           CONDUCTOR_TOPIC, manager)


def scheduler(conf, database, messaging, host) -> service.Service:
    manager = SchedulerManager(conf, database, messaging, host)
    return service.Service(conf, database, messaging, host, "novalite-scheduler",
                           SCHEDULER_TOPIC, manager)


def compute(conf, database, messaging, host, service_password=None) -> service.Service:
    """service_password: the service user's, given in-process by the all-in-one."""
    instances_path = image_cache.host_path(conf, host)
    os.makedirs(instances_path, exist_ok=True)
    manager = ComputeManager(conf, database, messaging, host, instances_path=instances_path,
                             image_api=image_client.from_conf(conf, service_password),
                             network_api=network.from_conf(conf, database, service_password))
    return service.Service(conf, database, messaging, host, "novalite-compute",
                           COMPUTE_TOPIC, manager)
