"""The image service's domain. For now a minimal catalog in the database."""
