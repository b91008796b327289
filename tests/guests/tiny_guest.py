"""A tiny real guest for the libvirt tier, built from Debian's packages.

The kernel comes from Debian's cloud kernel package and the initramfs is busybox (from
busybox-static) with an /init that loads the virtio disk and network drivers, reports what
it finds on the root disk, leaves its own mark there (and prints it), reports what its
other disks hold, brings eth0 up and prints the address DHCP gave it (busybox udhcpc),
prints what a config drive holds and runs its user data when that is a shell script
(so a test can have a guest ping an address and print the result), and prints a marker
line on the serial console; the ACPI
power button powers it off, as a cloud image does. So a test can tell "it booted" (the
marker), "it booted from a copy of another guest's disk" (that guest's mark), "it sees that
disk as its second" (a rescue) and what the guest was given. When the domain has the QEMU
guest agent's channel, a stand-in agent answers libvirt there and prints the passwords it
is asked to set. Building takes a few seconds; the result is cached, keyed by the /init
script and modules.

Images are uploaded as Glance does for EC2-style guests: kernel `aki`, ramdisk `ari`, and a
machine image `ami` whose `kernel_id`/`ramdisk_id` properties name the other two.
"""

import dataclasses
import glob
import gzip
import hashlib
import io
import os
import shutil
import stat
import subprocess
import tempfile

MARKER = "NOVALITE-TINY-GUEST-UP"
DISK_MARK = "novalite-disk-mark"
TICK = "NOVALITE-TINY-GUEST-TICK"
AGENT_PASSWORD = "agent: password of"  # + ' <user> set to <password>'
DHCP_ADDRESS = "dhcp: address"  # + ' <the address eth0 got>'
NO_DHCP = "dhcp: no address"
CMDLINE = "console=ttyS0 quiet panic=-1"
DISK_BYTES = 1024 * 1024  # the machine image: a blank raw disk

# The virtio disk driver and what it needs, in load order (the cloud kernel builds them as
# modules; without depmod's files, busybox insmod takes them one by one).
_MODULES = ("virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev",
            "virtio_pci", "virtio_blk", "virtio_console", "failover", "net_failover",
            "virtio_net", "cdrom", "isofs", "button", "evdev")

_INIT = """#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in %(modules)s; do insmod /lib/modules/$m.ko; done
# The ACPI power button (libvirt's graceful shutdown) powers the guest off.
mkdir -p /etc/acpi/PWRF
printf '#!/bin/sh\nsync\npoweroff -f\n' > /etc/acpi/PWRF/00000080
chmod +x /etc/acpi/PWRF/00000080
for i in 1 2 3 4 5 6 7 8 9 10; do ls /dev/input/event* >/dev/null 2>&1 && break; sleep 0.5; done
acpid -d -c /etc/acpi 2>/dev/null &
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vda ] && break; sleep 0.5; done
if [ -b /dev/vda ]; then
    found=$(head -c 128 /dev/vda | tr -d '\\000')
    echo "disk: ${found:-empty}"
    if [ -z "$found" ]; then
        mark="%(mark)s written by $(cat /proc/sys/kernel/random/uuid)"
        printf '%%s' "$mark" > /dev/vda
        sync
        echo "disk marked: $mark"
    fi
else
    echo "disk: none"
fi
# What the other disks hold (a rescue guest has the instance's own disk as its second).
for dev in /dev/vd[b-z] /dev/sd[a-z] /dev/hd[a-z]; do
    [ -b "$dev" ] || continue
    other=$(head -c 128 "$dev" | tr -d '\\000')
    echo "other disk ${dev#/dev/}: ${other:-empty}"
done
# A stand-in for qemu-ga on its virtio-serial port: it answers libvirt's guest-sync and
# prints the passwords guest-set-user-password is asked to set (busybox has no chpasswd).
if ls /sys/bus/virtio/drivers/virtio_console/ 2>/dev/null | grep -q virtio; then
    for i in 1 2 3 4 5 6 7 8 9 10; do
        ls /sys/class/virtio-ports/ | grep -q . && break; sleep 0.2
    done
fi
for port in /sys/class/virtio-ports/*; do
    [ "$(cat "$port/name" 2>/dev/null)" = org.qemu.guest_agent.0 ] || continue
    (exec 3<>"/dev/${port##*/}"
     while true; do
         # Reads end at once (EOF) until the host side of the port is connected.
         read -r line <&3 || { sleep 0.2; continue; }
         case "$line" in
         *guest-sync*)
             echo "{\\"return\\": $(echo "$line" | sed 's/.*"id": *\\([0-9]*\\).*/\\1/')}" >&3;;
         *guest-set-user-password*)
             user=$(echo "$line" | sed 's/.*"username": *"\\([^"]*\\)".*/\\1/')
             secret=$(echo "$line" | sed 's/.*"password": *"\\([^"]*\\)".*/\\1/' | base64 -d)
             echo "%(agent)s $user set to $secret"
             echo '{"return": {}}' >&3;;
         *)
             echo '{"error": {"class": "CommandNotFound", "desc": "tiny guest"}}' >&3;;
         esac
     done) &
done
# The network: eth0 (virtio_net) up and an address by DHCP (busybox udhcpc), printed.
for i in 1 2 3 4 5 6 7 8 9 10; do [ -e /sys/class/net/eth0 ] && break; sleep 0.5; done
if [ -e /sys/class/net/eth0 ]; then
    ip link set lo up
    ip link set eth0 up
    mkdir -p /etc/udhcpc
    printf '#!/bin/sh\ncase "$1" in bound|renew)\n%%s\n%%s\n;; esac\n' \\
        '  ifconfig "$interface" "$ip" netmask "$subnet"' '  echo "%(dhcp)s $ip"' \\
        > /etc/udhcpc/script
    chmod +x /etc/udhcpc/script
    udhcpc -i eth0 -n -q -t 6 -T 2 -s /etc/udhcpc/script 2>/dev/null | grep "^dhcp:"
    ifconfig eth0 | grep -q 'inet addr' || echo "%(no_dhcp)s"
fi
# A config drive (ISO9660, label config-2) comes as the second disk: show what it holds,
# and run its user data in the background when that is a script (#!).
if [ -b /dev/vdb ] && mkdir -p /mnt && \\
        mount -t iso9660 -o ro /dev/vdb /mnt 2>/dev/null; then
    echo "config drive meta_data: $(cat /mnt/openstack/latest/meta_data.json)"
    [ -f /mnt/openstack/latest/user_data ] && \
        echo "config drive user_data: $(cat /mnt/openstack/latest/user_data)"
    [ -f /mnt/openstack/latest/user_data ] && \
        cp /mnt/openstack/latest/user_data /tmp/user_data
    umount /mnt
    if [ -f /tmp/user_data ] && [ "$(head -c 2 /tmp/user_data)" = "#!" ]; then
        (sh /tmp/user_data 2>&1) &
    fi
fi
echo %(marker)s
# A heartbeat, so a paused guest (no ticks) and a resumed one (ticks again) can be told.
n=0
while true; do sleep 2; n=$((n+1)); echo "%(tick)s $n"; done
""" % {"modules": " ".join(_MODULES), "mark": DISK_MARK, "marker": MARKER, "tick": TICK,
       "agent": AGENT_PASSWORD, "dhcp": DHCP_ADDRESS, "no_dhcp": NO_DHCP}


@dataclasses.dataclass
class GuestFiles:
    kernel: str
    initramfs: str
    disk: str


def cache_dir() -> str:
    return os.environ.get("NOVALITE_GUEST_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "novalite", "tiny-guest")


def build(directory: str | None = None) -> GuestFiles:
    """The guest's three files, built (once) under `directory` from Debian's packages."""
    key = hashlib.sha256((_INIT + " ".join(_MODULES)).encode()).hexdigest()[:12]
    directory = os.path.join(directory or cache_dir(), key)
    files = GuestFiles(os.path.join(directory, "vmlinuz"),
                       os.path.join(directory, "initramfs.cpio.gz"),
                       os.path.join(directory, "disk.raw"))
    if all(os.path.exists(p) for p in dataclasses.astuple(files)):
        return files
    os.makedirs(directory, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory) as work:
        root = _unpack_packages(work)
        kernel = glob.glob(os.path.join(root, "boot", "vmlinuz-*"))[0]
        modules = glob.glob(os.path.join(root, "lib", "modules", "*", "kernel"))[0]
        entries = [("dev", stat.S_IFDIR | 0o755, None, 0),
                   ("dev/console", stat.S_IFCHR | 0o600, None, os.makedev(5, 1)),
                   ("bin", stat.S_IFDIR | 0o755, None, 0),
                   ("lib", stat.S_IFDIR | 0o755, None, 0),
                   ("lib/modules", stat.S_IFDIR | 0o755, None, 0),
                   ("init", stat.S_IFREG | 0o755, _INIT.encode(), 0),
                   ("bin/busybox", stat.S_IFREG | 0o755,
                    _read(os.path.join(root, "bin", "busybox")), 0)]
        for i, name in enumerate(_MODULES):
            data = _read(_find_module(modules, name))
            missing = _depends(data) - set(_MODULES[:i])
            if missing:  # a newer kernel split the drivers differently
                raise RuntimeError("kernel module %s needs %s loaded first"
                                   % (name, ", ".join(sorted(missing))))
            entries.append(("lib/modules/%s.ko" % name, stat.S_IFREG | 0o644, data, 0))
        _write_atomically(files.initramfs, gzip.compress(_cpio_newc(entries), 6))
        shutil.copyfile(kernel, files.kernel + ".tmp")
        os.replace(files.kernel + ".tmp", files.kernel)
        _write_atomically(files.disk, bytes(DISK_BYTES))
    return files


def _unpack_packages(work: str) -> str:
    """Download the cloud kernel and busybox-static .debs with apt and unpack them."""
    depends = subprocess.run(["apt-cache", "depends", "linux-image-cloud-amd64"],
                             check=True, capture_output=True, text=True).stdout
    kernel_pkg = next(line.split(":", 1)[1].strip() for line in depends.splitlines()
                      if line.strip().startswith("Depends: linux-image-"))
    subprocess.run(["apt-get", "download", "-q", kernel_pkg, "busybox-static"], cwd=work,
                   check=True, capture_output=True)
    root = os.path.join(work, "root")
    for deb in glob.glob(os.path.join(work, "*.deb")):
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
    return root


def _find_module(modules_dir: str, name: str) -> str:
    found = glob.glob(os.path.join(modules_dir, "**", name + ".ko"), recursive=True)
    if not found:
        raise RuntimeError("kernel module %s not found in the cloud kernel package" % name)
    return found[0]


def _depends(module: bytes) -> set[str]:
    """The modules a .ko file needs, from its modinfo `depends=` string."""
    start = module.find(b"\0depends=")
    if start < 0:
        return set()
    value = module[start + 9:module.index(b"\0", start + 1)].decode()
    return {name for name in value.split(",") if name}


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _write_atomically(path: str, data: bytes) -> None:
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def _cpio_newc(entries) -> bytes:
    """An initramfs archive in the kernel's "newc" cpio format. Written here rather than
    with cpio(1) so the console device node needs no root and no extra package."""
    out = io.BytesIO()

    def pad():
        out.write(b"\0" * (-out.tell() % 4))

    for ino, (name, mode, data, rdev) in enumerate(
            [*entries, ("TRAILER!!!", 0, None, 0)], start=1):
        data = data or b""
        encoded = name.encode() + b"\0"
        fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, os.major(rdev), os.minor(rdev),
                  len(encoded), 0)
        out.write(b"070701" + b"".join(b"%08X" % f for f in fields))
        out.write(encoded)
        pad()
        out.write(data)
        pad()
    return out.getvalue()
