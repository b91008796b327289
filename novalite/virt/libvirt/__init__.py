"""The libvirt virt driver (compute_driver = libvirt): QEMU/KVM guests."""
