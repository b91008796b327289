"""The image API: a Glance v2 subset (read-only until the image service lands)."""
