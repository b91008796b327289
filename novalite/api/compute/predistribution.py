"""/os-image-predistribution: push an image into compute hosts' caches before a boot wave,
with per-host progress (a novalite extension; admin only by default)."""

from novalite.api.compute.validation import validate
from novalite.api.request import ApiResponse

CREATE = {
    "type": "object",
    "properties": {
        "image_id": {"type": "string", "format": "uuid"},
        "hosts": {"type": "array", "minItems": 1,
                  "items": {"type": "string", "minLength": 1, "maxLength": 255}},
        "aggregate": {"type": ["string", "integer"]},
        "availability_zone": {"type": "string", "minLength": 1, "maxLength": 255},
    },
    "required": ["image_id"],
    "additionalProperties": False,
}


def _iso(value):
    return value.isoformat(timespec="seconds") + "Z" if value else None


def view(job) -> dict:
    return {"id": job.id, "image_id": job.image_id, "status": job.status,
            "progress": job.progress, "created_at": _iso(job.created_at),
            "started_at": _iso(job.started_at), "finished_at": _iso(job.finished_at),
            "hosts": [h.to_primitive() for h in job.hosts]}


def _api(req):
    return req.app.compute_api.predistribution


def create_job(req):
    body = req.json()
    validate(CREATE, body)
    job = _api(req).create(req.context, body["image_id"], hosts=body.get("hosts"),
                           aggregate=body.get("aggregate"),
                           availability_zone=body.get("availability_zone"))
    return ApiResponse(202, {"job": view(job)})


def list_jobs(req):
    return {"jobs": [view(j) for j in _api(req).list(req.context)]}


def show_job(req, job_id):
    return {"job": view(_api(req).get(req.context, job_id))}


def cancel_job(req, job_id):
    _api(req).cancel(req.context, job_id)
    return ApiResponse(202)
