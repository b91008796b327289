"""The client compute hosts use to fetch images from the image API (Glance v2), over HTTP
as across machines, on a keystoneauth1 session that carries the service's token.

No token or password is ever logged here (keystoneauth1 logs only a token's hash).
"""

import hashlib
import logging
import time

from novalite import exception, service_auth

LOG = logging.getLogger(__name__)

_CHUNK = 1 << 20
_TIMEOUT = 60


class ImageDownloadError(exception.NovaliteException):
    msg_fmt = "Image %(image_id)s could not be downloaded: %(reason)s"


class ImageUploadError(exception.NovaliteException):
    msg_fmt = "Image %(image_id)s could not be written: %(reason)s"


def session_from_conf(conf, service_password: str | None = None):
    return service_auth.session(conf, image_url(conf), service_password)


def image_url(conf) -> str:
    return (conf.image_cache.image_api_url or
            service_auth.local_url(conf.image.listen, conf.image.port)).rstrip("/")


class _Verifier:
    """The image's own hash: os_hash_algo/os_hash_value (sha512), else checksum (MD5)."""

    def __init__(self, meta: dict):
        algo, value = meta.get("os_hash_algo"), meta.get("os_hash_value")
        if not (algo and value and algo in hashlib.algorithms_guaranteed):
            algo, value = ("md5", meta.get("checksum")) if meta.get("checksum") else (None, None)
        self.algo, self.expected = algo, value
        self._hash = hashlib.new(algo) if algo else None

    def update(self, chunk: bytes) -> None:
        if self._hash is not None:
            self._hash.update(chunk)

    def check(self, image_id: str) -> None:
        if self._hash is not None and self._hash.hexdigest() != self.expected:
            raise ImageDownloadError(image_id=image_id, reason="%s hash mismatch (expected "
                                     "%s, got %s)" % (self.algo, self.expected,
                                                      self._hash.hexdigest()))


class _RateLimit:
    """Sleeps so that bytes arrive no faster than `rate` per second (0: no limit)."""

    def __init__(self, rate: int):
        self.rate = rate
        self.start = time.monotonic()

    def wait(self, done: int) -> None:
        if self.rate:
            ahead = done / self.rate - (time.monotonic() - self.start)
            if ahead > 0:
                time.sleep(ahead)


class ImageClient:
    def __init__(self, base_url: str, session, rate_limit: int = 0):
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.rate_limit = rate_limit

    def _get(self, image_id: str, path: str, **kw):
        try:
            resp = self.session.get(self.base_url + path, raise_exc=False,
                                    timeout=_TIMEOUT, **kw)
        except Exception as e:  # keystoneauth1 and requests errors: refused, auth failed
            raise ImageDownloadError(image_id=image_id, reason="%s: %s" % (
                type(e).__name__, e)) from e
        if resp.status_code >= 400:
            raise ImageDownloadError(image_id=image_id, reason="the image API answered %d"
                                     % resp.status_code)
        return resp

    def _send(self, image_id: str, method: str, path: str, **kw):
        try:
            resp = self.session.request(self.base_url + path, method, raise_exc=False,
                                        timeout=_TIMEOUT, **kw)
        except Exception as e:
            raise ImageUploadError(image_id=image_id, reason="%s: %s" % (
                type(e).__name__, e)) from e
        if resp.status_code >= 400:
            raise ImageUploadError(image_id=image_id, reason="the image API answered %d: %s"
                                   % (resp.status_code, resp.text[:200]))
        return resp

    def upload(self, image_id: str, data) -> None:
        """Stream a binary file object into a queued image (PUT .../file)."""
        self._send(image_id, "PUT", "/v2/images/%s/file" % image_id, data=data,
                   headers={"Content-Type": "application/octet-stream"})

    def set_properties(self, image_id: str, values: dict) -> None:
        patch = [{"op": "replace", "path": "/" + key, "value": value}
                 for key, value in values.items()]
        self._send(image_id, "PATCH", "/v2/images/%s" % image_id, json=patch, headers={
            "Content-Type": "application/openstack-images-v2.1-json-patch"})

    def delete(self, image_id: str) -> None:
        self._send(image_id, "DELETE", "/v2/images/%s" % image_id)

    def show(self, image_id: str) -> dict:
        return self._get(image_id, "/v2/images/%s" % image_id).json()

    def download(self, image_id: str, meta: dict, out, progress=None) -> int:
        """Stream the image's bytes into the file object `out`, checking its hash; the
        number of bytes. An image without data (204) is an error, as it is to Nova.
        progress(bytes_done, bytes_total) is called as chunks arrive."""
        resp = self._get(image_id, "/v2/images/%s/file" % image_id, stream=True)
        with resp:
            if resp.status_code == 204:
                raise ImageDownloadError(image_id=image_id, reason="the image has no data")
            verifier, size = _Verifier(meta), 0
            limit = _RateLimit(self.rate_limit)
            try:
                for chunk in resp.iter_content(_CHUNK):
                    verifier.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                    if progress is not None:
                        progress(size, meta.get("size"))
                    limit.wait(size)
            except OSError as e:
                raise ImageDownloadError(image_id=image_id, reason=str(e)) from e
            except Exception as e:  # the connection broke mid-stream
                raise ImageDownloadError(image_id=image_id, reason="%s: %s" % (
                    type(e).__name__, e)) from e
        if meta.get("size") is not None and size != meta["size"]:
            raise ImageDownloadError(image_id=image_id, reason="got %d bytes of %d"
                                     % (size, meta["size"]))
        verifier.check(image_id)
        return size


def from_conf(conf, service_password: str | None = None) -> ImageClient:
    return ImageClient(image_url(conf), session_from_conf(conf, service_password),
                       rate_limit=conf.image_cache.download_rate_limit)
