"""Command-line entry points: `novalite serve | api | conductor | scheduler | compute | db |
config`."""
