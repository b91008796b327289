"""The compute API facade: validation, policy and rows for server requests.

Both wire formats (the OpenStack Compute API and EC2) call this; it never knows HTTP. One
module per family of operations, composed here: a reader looking for "rescue" finds
compute/api/rescue.py, and its host side in compute/manager/rescue.py.
"""

from novalite.compute.api.admin import AdminActions
from novalite.compute.api.consoles import ConsoleActions
from novalite.compute.api.deletion import DeletionActions
from novalite.compute.api.evacuate import EvacuateActions
from novalite.compute.api.external_events import ExternalEventActions
from novalite.compute.api.interfaces import InterfaceActions
from novalite.compute.api.live_migrate import LiveMigrateActions
from novalite.compute.api.lock import LockActions
from novalite.compute.api.migrate import MigrateActions
from novalite.compute.api.network_actions import NetworkActions
from novalite.compute.api.password import PasswordActions
from novalite.compute.api.power import PowerActions
from novalite.compute.api.rebuild import RebuildActions
from novalite.compute.api.rescue import RescueActions
from novalite.compute.api.servers import ServersAPI
from novalite.compute.api.shelve import ShelveActions
from novalite.compute.api.snapshots import SnapshotActions


class ComputeAPI(ServersAPI, DeletionActions, PowerActions, RebuildActions, RescueActions,
                 MigrateActions, LiveMigrateActions, EvacuateActions, PasswordActions,
                 ShelveActions, LockActions, AdminActions, SnapshotActions, ConsoleActions,
                 NetworkActions, InterfaceActions, ExternalEventActions):
    """Every server operation; the families share ComputeAPIBase's collaborators."""

