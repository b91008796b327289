"""The compute service: the API facade, the RPC stub and the manager on each host."""
