"""Virt drivers: the hypervisor behind a compute host."""
