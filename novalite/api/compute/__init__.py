"""The OpenStack Compute API v2.1: routes, handlers, views and schemas."""
