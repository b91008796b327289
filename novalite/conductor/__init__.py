"""The conductor: orchestrates builds between the scheduler and the compute hosts."""
