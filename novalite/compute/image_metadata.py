"""Nova's image-metadata proxy (gone from 2.39): an image's additional properties read and
written through the compute API, counted against the metadata_items quota as Nova does."""

from novalite import exception


class ImageMetadataAPI:
    def __init__(self, images, quota_engine):
        self.images = images
        self.quota_engine = quota_engine

    def get(self, ctxt, image_id: str) -> dict:
        return dict(self.images.get(ctxt, image_id).properties)

    def get_item(self, ctxt, image_id: str, key: str) -> str:
        properties = self.get(ctxt, image_id)
        if key not in properties:
            raise exception.NotFound("Image %s has no metadata with key %s." % (image_id, key))
        return properties[key]

    def update(self, ctxt, image_id: str, metadata: dict, replace: bool = False) -> dict:
        """Merge metadata into the properties, or (replace) make them exactly metadata."""
        current = self.get(ctxt, image_id)
        wanted = dict(metadata) if replace else {**current, **metadata}
        self.quota_engine.check_metadata(ctxt.project_id, wanted)
        changes = [("remove", key, None) for key in current if key not in wanted]
        changes += [("add", key, value) for key, value in wanted.items()
                    if current.get(key) != value]
        if changes:
            self.images.update(ctxt, image_id, changes)
        return self.get(ctxt, image_id)

    def delete_item(self, ctxt, image_id: str, key: str) -> None:
        if key not in self.get(ctxt, image_id):
            raise exception.NotFound("Image %s has no metadata with key %s." % (image_id, key))
        self.images.update(ctxt, image_id, [("remove", key, None)])
