"""JSON Schemas of request bodies, per resource and microversion."""
