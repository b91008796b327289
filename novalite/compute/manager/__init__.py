"""The compute manager: the RPC endpoints of one compute host, one module per family of
operations (build, power, rebuild, rescue, migrate, live migrate, evacuate, password,
deletion, shelve, snapshots, consoles, pre-distribution, interfaces, external events),
composed here. compute/rpcapi.py is the client side and keeps the version history."""

import oslo_messaging as messaging

from novalite.compute.manager.build import BuildManager
from novalite.compute.manager.consoles import ConsoleManager, RemoteConsoleManager
from novalite.compute.manager.deletion import DeletionManager
from novalite.compute.manager.evacuate import EvacuateManager
from novalite.compute.manager.events import EventsManager
from novalite.compute.manager.interfaces import InterfaceManager
from novalite.compute.manager.live_migrate import LiveMigrateManager
from novalite.compute.manager.migrate import MigrateManager
from novalite.compute.manager.password import PasswordManager
from novalite.compute.manager.power import PowerManager
from novalite.compute.manager.precache import PrecacheManager
from novalite.compute.manager.rebuild import RebuildManager
from novalite.compute.manager.rescue import RescueManager
from novalite.compute.manager.shelve import ShelveManager
from novalite.compute.manager.snapshots import SnapshotManager


class ComputeManager(BuildManager, PowerManager, RebuildManager, RescueManager,
                     MigrateManager, LiveMigrateManager, EvacuateManager, PasswordManager,
                     DeletionManager, ShelveManager, SnapshotManager, ConsoleManager,
                     RemoteConsoleManager, PrecacheManager, InterfaceManager, EventsManager):
    target = messaging.Target(version="1.10")


__all__ = ["ComputeManager"]
