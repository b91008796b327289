"""The scheduler: picks a compute host for each instance with filters and weighers."""
