"""POST /servers/{id}/action: the one table of action names, each to its family's handler
(api/compute/actions/). A handler returns a response, or None for Nova's empty 202."""

from novalite.api.compute import snapshots
from novalite.api.compute.actions import (
    admin,
    consoles,
    deletion,
    evacuate,
    live_migrate,
    lock,
    migrate,
    network,
    password,
    power,
    rebuild,
    rescue,
    shelve,
)
from novalite.api.faults import HTTPError
from novalite.api.request import ApiResponse

ACTIONS = {
    # power
    "reboot": power.reboot,
    "os-stop": power.stop,
    "os-start": power.start,
    "pause": power.pause,
    "unpause": power.unpause,
    "suspend": power.suspend,
    "resume": power.resume,
    "trigger_crash_dump": power.trigger_crash_dump,
    # rebuild
    "rebuild": rebuild.rebuild,
    # rescue
    "rescue": rescue.rescue,
    "unrescue": rescue.unrescue,
    # resize and migrate
    "resize": migrate.resize,
    "confirmResize": migrate.confirm_resize,
    "revertResize": migrate.revert_resize,
    "migrate": migrate.migrate,
    "os-migrateLive": live_migrate.migrate_live,
    "evacuate": evacuate.evacuate,
    # shelve
    "shelve": shelve.shelve,
    "shelveOffload": shelve.shelve_offload,
    "unshelve": shelve.unshelve,
    # password
    "changePassword": password.change_password,
    # lock
    "lock": lock.lock,
    "unlock": lock.unlock,
    # deletion
    "forceDelete": deletion.force_delete,
    "restore": deletion.restore,
    # the network service's
    "addSecurityGroup": network.add_security_group,
    "removeSecurityGroup": network.remove_security_group,
    "addFixedIp": network.add_fixed_ip,
    "removeFixedIp": network.remove_fixed_ip,
    "addFloatingIp": network.add_floating_ip,
    "removeFloatingIp": network.remove_floating_ip,
    # administrators' repairs
    "os-resetState": admin.reset_state,
    "injectNetworkInfo": admin.inject_network_info,
    "resetNetwork": admin.reset_network,
    # images
    "createImage": snapshots.create_image,
    "createBackup": snapshots.create_backup,
    # consoles
    "os-getConsoleOutput": consoles.get_console_output,
    **{name: consoles.legacy_console(name) for name in (
        "os-getVNCConsole", "os-getSPICEConsole", "os-getRDPConsole", "os-getSerialConsole")},
}


def server_action(req, server_id):
    body = req.json()
    if not isinstance(body, dict) or len(body) != 1:
        raise HTTPError(400, "There is either no action or more than one in the request body")
    name = next(iter(body))
    handler = ACTIONS.get(name)
    if handler is None:
        raise HTTPError(400, "There is no such action: %s" % name)
    response = handler(req, server_id, body)
    return response if response is not None else ApiResponse(202)
