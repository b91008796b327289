"""Client side of the compute RPC API. Each call goes to one host: prepare(server=host)."""

TOPIC = "compute"
VERSION = "1.10"
# 1.0: build_and_run_instance, terminate_instance, reboot_instance, stop_instance,
#      start_instance
# 1.1: snapshot_instance (createImage, createBackup, backup_instance)
# 1.2: precache_image (image pre-distribution and 2.81 aggregate image caching)
# 1.3: get_console_output (os-getConsoleOutput, EC2 GetConsoleOutput)
# 1.4: get_host_uptime (os-hypervisors uptime)
# 1.5: pause_instance, unpause_instance, suspend_instance, resume_instance,
#      trigger_crash_dump, soft_delete_instance, restore_instance, rebuild_instance
# 1.6: rescue_instance, unrescue_instance, set_admin_password, shelve_instance,
#      shelve_offload_instance, unshelve_instance, prep_resize, resize_instance,
#      finish_resize, confirm_resize, revert_resize, finish_revert_resize
# 1.7: live_migration, pre_live_migration, post_live_migration_at_destination,
#      rollback_live_migration_at_destination, live_migration_abort,
#      live_migration_force_complete, evacuate_instance, get_console_connection
# 1.8: check_can_live_migrate_destination, check_can_live_migrate_source
# 1.9: external_instance_event (os-server-external-events)
# 1.10: attach_interface (a call: the new VIF), detach_interface (os-interface)


class ComputeRPC:
    def __init__(self, messaging):
        self.client = messaging.client(TOPIC, VERSION)

    def _at(self, host, version="1.0"):
        return self.client.prepare(server=host, version=version)

    def build_and_run_instance(self, ctxt, host, instance, request_spec, filter_properties):
        self._at(host).cast(ctxt, "build_and_run_instance", instance=instance.to_primitive(),
                            request_spec=request_spec.to_primitive(),
                            filter_properties=filter_properties)

    def terminate_instance(self, ctxt, instance):
        self._at(instance.host).cast(ctxt, "terminate_instance", instance_uuid=instance.uuid)

    def reboot_instance(self, ctxt, instance, reboot_type):
        self._at(instance.host).cast(ctxt, "reboot_instance", instance_uuid=instance.uuid,
                                     reboot_type=reboot_type)

    def stop_instance(self, ctxt, instance):
        self._at(instance.host).cast(ctxt, "stop_instance", instance_uuid=instance.uuid)

    def start_instance(self, ctxt, instance):
        self._at(instance.host).cast(ctxt, "start_instance", instance_uuid=instance.uuid)

    def power_action(self, ctxt, instance, action: str) -> None:
        """pause, unpause, suspend or resume: <action>_instance on the instance's host."""
        self._at(instance.host, "1.5").cast(ctxt, "%s_instance" % action,
                                            instance_uuid=instance.uuid)

    def trigger_crash_dump(self, ctxt, instance):
        self._at(instance.host, "1.5").cast(ctxt, "trigger_crash_dump",
                                            instance_uuid=instance.uuid)

    def soft_delete_instance(self, ctxt, instance):
        self._at(instance.host, "1.5").cast(ctxt, "soft_delete_instance",
                                            instance_uuid=instance.uuid)

    def restore_instance(self, ctxt, instance):
        self._at(instance.host, "1.5").cast(ctxt, "restore_instance",
                                            instance_uuid=instance.uuid)

    def rebuild_instance(self, ctxt, instance, image_id, preserve_ephemeral=False):
        self._at(instance.host, "1.5").cast(ctxt, "rebuild_instance",
                                            instance_uuid=instance.uuid, image_id=image_id,
                                            preserve_ephemeral=preserve_ephemeral)

    def rescue_instance(self, ctxt, instance, password, rescue_image_ref=None):
        self._at(instance.host, "1.6").cast(ctxt, "rescue_instance",
                                            instance_uuid=instance.uuid, password=password,
                                            rescue_image_ref=rescue_image_ref)

    def unrescue_instance(self, ctxt, instance):
        self._at(instance.host, "1.6").cast(ctxt, "unrescue_instance",
                                            instance_uuid=instance.uuid)

    def set_admin_password(self, ctxt, instance, password):
        """A call, as Nova's: the answer says whether the guest took the password."""
        return self._at(instance.host, "1.6").call(ctxt, "set_admin_password",
                                                   instance_uuid=instance.uuid,
                                                   password=password)

    def shelve_instance(self, ctxt, instance, image_id):
        self._at(instance.host, "1.6").cast(ctxt, "shelve_instance",
                                            instance_uuid=instance.uuid, image_id=image_id)

    def shelve_offload_instance(self, ctxt, instance):
        self._at(instance.host, "1.6").cast(ctxt, "shelve_offload_instance",
                                            instance_uuid=instance.uuid)

    def unshelve_instance(self, ctxt, host, instance):
        """To the host the scheduler chose (an offloaded server), or to the server's own
        (a SHELVED one, powered on again)."""
        self._at(host, "1.6").cast(ctxt, "unshelve_instance", instance_uuid=instance.uuid)

    # A resize or cold migration: each step names the host it runs on.
    def prep_resize(self, ctxt, dest, instance, migration_id):
        self._move_step(ctxt, dest, "prep_resize", instance, migration_id)

    def resize_instance(self, ctxt, source, instance, migration_id, dest_dir):
        self._move_step(ctxt, source, "resize_instance", instance, migration_id,
                        dest_dir=dest_dir)

    def finish_resize(self, ctxt, dest, instance, migration_id):
        self._move_step(ctxt, dest, "finish_resize", instance, migration_id)

    def confirm_resize(self, ctxt, source, instance, migration_id):
        self._move_step(ctxt, source, "confirm_resize", instance, migration_id)

    def revert_resize(self, ctxt, dest, instance, migration_id):
        self._move_step(ctxt, dest, "revert_resize", instance, migration_id)

    def finish_revert_resize(self, ctxt, source, instance, migration_id):
        self._move_step(ctxt, source, "finish_revert_resize", instance, migration_id)

    # A live migration: the source drives it, asking the destination before and after.
    def live_migration(self, ctxt, source, instance, migration_id, dest, block_migration):
        self._at(source, "1.7").cast(ctxt, "live_migration", instance_uuid=instance.uuid,
                                     migration_id=migration_id, dest=dest,
                                     block_migration=block_migration)

    def check_can_live_migrate_destination(self, ctxt, dest, instance) -> None:
        """Raises MigrationPreCheckError when either host cannot take part."""
        self._at(dest, "1.8").call(ctxt, "check_can_live_migrate_destination",
                                   instance_uuid=instance.uuid)

    def check_can_live_migrate_source(self, ctxt, source, instance) -> None:
        self._at(source, "1.8").call(ctxt, "check_can_live_migrate_source",
                                     instance_uuid=instance.uuid)

    def pre_live_migration(self, ctxt, dest, instance, migration_id) -> str:
        """-> the destination's directory for the instance."""
        return self._at(dest, "1.7").call(ctxt, "pre_live_migration",
                                          instance_uuid=instance.uuid,
                                          migration_id=migration_id)

    def post_live_migration_at_destination(self, ctxt, dest, instance, migration_id):
        return self._at(dest, "1.7").call(ctxt, "post_live_migration_at_destination",
                                          instance_uuid=instance.uuid,
                                          migration_id=migration_id)

    def rollback_live_migration_at_destination(self, ctxt, dest, instance, migration_id):
        self._move_step(ctxt, dest, "rollback_live_migration_at_destination", instance,
                        migration_id, version="1.7")

    def live_migration_abort(self, ctxt, source, instance, migration_id):
        self._move_step(ctxt, source, "live_migration_abort", instance, migration_id,
                        version="1.7")

    def live_migration_force_complete(self, ctxt, source, instance, migration_id):
        self._move_step(ctxt, source, "live_migration_force_complete", instance,
                        migration_id, version="1.7")

    def evacuate_instance(self, ctxt, dest, instance, migration_id, target_state=None):
        self._move_step(ctxt, dest, "evacuate_instance", instance, migration_id,
                        version="1.7", target_state=target_state)

    def _move_step(self, ctxt, host, method, instance, migration_id, version="1.6",
                   **kwargs):
        self._at(host, version).cast(ctxt, method, instance_uuid=instance.uuid,
                                     migration_id=migration_id, **kwargs)

    def snapshot_instance(self, ctxt, instance, image_id, image_type, backup_type=None,
                          rotation=None):
        self._at(instance.host, "1.1").cast(
            ctxt, "snapshot_instance", instance_uuid=instance.uuid, image_id=image_id,
            image_type=image_type, backup_type=backup_type, rotation=rotation)

    def precache_image(self, ctxt, host, job_id, image_id):
        self._at(host, "1.2").cast(ctxt, "precache_image", job_id=job_id, image_id=image_id)

    def get_console_output(self, ctxt, instance, tail_length=None) -> str:
        return self._at(instance.host, "1.3").call(
            ctxt, "get_console_output", instance_uuid=instance.uuid, tail_length=tail_length)

    def get_console_connection(self, ctxt, instance, console_type) -> dict:
        return self._at(instance.host, "1.7").call(
            ctxt, "get_console_connection", instance_uuid=instance.uuid,
            console_type=console_type)

    def get_host_uptime(self, ctxt, host) -> str:
        return self._at(host, "1.4").call(ctxt, "get_host_uptime")

    def external_instance_event(self, ctxt, host, instances, events):
        """The events (InstanceExternalEvent) of these instances, to one host."""
        self._at(host, "1.9").cast(ctxt, "external_instance_event",
                                   instances=[i.to_primitive() for i in instances],
                                   events=[e.to_primitive() for e in events])

    def attach_interface(self, ctxt, instance, network_id, port_id, requested_ip, tag):
        """A call, as Nova's: -> the new interface's VIF (network_info's format)."""
        return self._at(instance.host, "1.10").call(
            ctxt, "attach_interface", instance_uuid=instance.uuid, network_id=network_id,
            port_id=port_id, requested_ip=requested_ip, tag=tag)

    def detach_interface(self, ctxt, instance, port_id):
        self._at(instance.host, "1.10").cast(ctxt, "detach_interface",
                                             instance_uuid=instance.uuid, port_id=port_id)

    def ping(self, ctxt, host, value):
        """A round trip to one host (used by the benchmark of RPC latency)."""
        return self._at(host).call(ctxt, "ping", value=value)
