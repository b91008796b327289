"""A compute host's network agent (Neutron's L2 agent): wires the ports bound to its host
and reports them up, so the service can tell Nova the VIF is plugged."""
