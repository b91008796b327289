"""The HTTP APIs. Only this package knows HTTP, JSON and microversions."""
