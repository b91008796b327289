"""Domain objects: plain dataclasses that travel over RPC as primitives."""
