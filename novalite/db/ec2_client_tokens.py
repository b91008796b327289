"""RunInstances' ClientToken: at most one launch per (project, token).

The launch itself is ComputeAPI.create's own transaction, so the token is claimed just
before it: the row is inserted with no reservation id (the unique constraint on
(project_id, client_token) lets one request win), the launch runs, and the winner then
records its reservation id, or deletes the row if the launch failed (so a retry may
launch). A request that finds the token claimed and still pending waits for the winner's
outcome. A pending row older than `abandoned_after` seconds is one whose process died
mid-launch: it is taken over.
"""

import datetime
import time
import typing

import sqlalchemy as sa

from novalite.db.models import ec2_client_tokens as tokens
from novalite.objects.base import utcnow

_POLL_FIRST, _POLL_MAX = 0.02, 0.25  # seconds between looks at a pending claim
_CHUNK = 500  # bound parameters per statement, well under every backend's limit


class Claim(typing.NamedTuple):
    """The token's row: `mine` when this request won it and must launch (then `complete`
    or `release` it); otherwise `reservation_id` is the original launch's (None if that
    launch was still under way when waiting ended)."""

    id: int
    mine: bool
    params_hash: str
    reservation_id: str | None


class EC2ClientTokens:
    """What the EC2 API uses (it may not import the database layer itself)."""

    def __init__(self, database, wait_seconds: float = 30.0, abandoned_after: float = 300.0):
        self.database = database
        self.wait_seconds = wait_seconds
        self.abandoned_after = abandoned_after

    def claim(self, project_id: str, client_token: str, params_hash: str) -> Claim:
        """Win the token, or return its row once its launch has finished (or waiting for it
        ran out, or its parameters differ: the caller compares `params_hash`)."""
        deadline = time.monotonic() + self.wait_seconds
        pause = _POLL_FIRST
        while True:
            try:
                with self.database.writer() as conn:
                    row_id = conn.execute(tokens.insert().values(
                        project_id=project_id, client_token=client_token,
                        params_hash=params_hash, created_at=utcnow())).inserted_primary_key[0]
                return Claim(row_id, True, params_hash, None)
            except sa.exc.IntegrityError:
                pass  # claimed already: by whom, and how far did it get?
            row = self._get(project_id, client_token)
            if row is None:
                continue  # its launch failed and gave the token back meanwhile: try again
            if row.reservation_id is not None or row.params_hash != params_hash:
                return Claim(row.id, False, row.params_hash, row.reservation_id)
            if utcnow() - row.created_at > datetime.timedelta(seconds=self.abandoned_after):
                self._delete_pending(row.id)
                continue
            if time.monotonic() >= deadline:
                return Claim(row.id, False, row.params_hash, None)
            time.sleep(pause)
            pause = min(pause * 2, _POLL_MAX)

    def complete(self, claim: Claim, reservation_id: str) -> None:
        with self.database.writer() as conn:
            conn.execute(tokens.update().where(tokens.c.id == claim.id)
                         .values(reservation_id=reservation_id))

    def release(self, claim: Claim) -> None:
        """Give the token back after a failed launch."""
        self._delete_pending(claim.id)

    def tokens_for(self, project_id: str, reservation_ids) -> dict[str, str]:
        """{reservation id: client token} of those reservations launched with one."""
        wanted = sorted({r for r in reservation_ids if r})
        found = {}
        with self.database.reader() as conn:
            for start in range(0, len(wanted), _CHUNK):
                for row in conn.execute(
                        sa.select(tokens.c.reservation_id, tokens.c.client_token)
                        .where(tokens.c.project_id == project_id,
                               tokens.c.reservation_id.in_(wanted[start:start + _CHUNK]))):
                    found[row.reservation_id] = _text(row.client_token)
        return found

    def _get(self, project_id: str, client_token: str):
        with self.database.reader() as conn:
            return conn.execute(sa.select(tokens).where(
                tokens.c.project_id == project_id,
                tokens.c.client_token == client_token)).first()

    def _delete_pending(self, row_id: int) -> None:
        with self.database.writer() as conn:
            conn.execute(tokens.delete().where(tokens.c.id == row_id,
                                               tokens.c.reservation_id.is_(None)))


def _text(value) -> str:
    return value.decode("ascii") if isinstance(value, bytes) else value
