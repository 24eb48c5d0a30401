"""EXAMGEN_STORAGE_URL=s3://BUCKET/PREFIX: one object per upload, any S3-compatible store.

boto3 finds the endpoint (AWS_ENDPOINT_URL, for MinIO, R2 or a Heroku add-on), the credentials
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or an instance role) and AWS_DEFAULT_REGION itself;
AWS_REGION comes from the settings. Every call is bounded (short connect timeout, two attempts)
so a dead store is a 503 or a failed job within seconds, never a hang.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from examgen.core.storage import NAME, BlobStore, StoreUnavailable, check_name

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

MISSING = {"NoSuchKey", "404", "NotFound"}


def _client(region: str | None, path_style: bool) -> S3Client:
    config = Config(
        connect_timeout=2,
        read_timeout=30,  # a 20 MB body on a slow link, not a dead server: that fails at connect
        retries={"total_max_attempts": 2, "mode": "standard"},
        s3={"addressing_style": "path" if path_style else "auto"},
    )
    # A session of its own: boto3's default session is not safe to create clients from in threads.
    return boto3.session.Session().client("s3", region_name=region, config=config)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"the S3 store refused: {error.get('Code', '?')} {error.get('Message', '')}".strip()
    return f"the S3 store did not answer ({exc.__class__.__name__})"


class S3Store(BlobStore):
    kind = "s3"

    def __init__(self, bucket: str, prefix: str, region: str | None) -> None:
        self.bucket = bucket
        self.prefix = f"{prefix}/uploads/" if prefix else "uploads/"
        self._region = region
        self._client_lock = threading.Lock()
        self._s3: S3Client | None = None
        self._cursor = ""

    @property
    def s3(self) -> S3Client:
        with self._client_lock:
            if self._s3 is None:
                client = _client(self._region, path_style=False)
                host = urlparse(client.meta.endpoint_url).hostname or ""
                if not host.endswith("amazonaws.com"):
                    # MinIO, moto and most self-hosted stores answer only path-style requests.
                    client = _client(self._region, path_style=True)
                self._s3 = client
            return self._s3

    def _key(self, job_id: str) -> str:
        return self.prefix + check_name(job_id)

    def put(self, job_id: str, data: bytes) -> None:
        try:
            self.s3.put_object(Bucket=self.bucket, Key=self._key(job_id), Body=data, ContentType="application/pdf")
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailable(_reason(exc)) from None

    def get(self, job_id: str) -> bytes | None:
        try:
            return self.s3.get_object(Bucket=self.bucket, Key=self._key(job_id))["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in MISSING:
                return None
            raise StoreUnavailable(_reason(exc)) from None
        except BotoCoreError as exc:
            raise StoreUnavailable(_reason(exc)) from None

    def delete(self, job_id: str) -> None:
        try:
            self.s3.delete_object(Bucket=self.bucket, Key=self._key(job_id))
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailable(_reason(exc)) from None

    def exists(self, job_id: str) -> bool:
        try:
            self.s3.head_object(Bucket=self.bucket, Key=self._key(job_id))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in MISSING:
                return False
            raise StoreUnavailable(_reason(exc)) from None
        except BotoCoreError as exc:
            raise StoreUnavailable(_reason(exc)) from None

    def older_than(self, age_s: float, limit: int) -> list[str]:
        # One listing request per call (at most `limit` keys, in key order, after the last call's).
        try:
            page = self.s3.list_objects_v2(
                Bucket=self.bucket, Prefix=self.prefix, StartAfter=self.prefix + self._cursor, MaxKeys=limit
            )
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailable(_reason(exc)) from None
        objects = page.get("Contents", [])
        last = objects[-1]["Key"].removeprefix(self.prefix) if objects else ""
        self._cursor = last if page.get("IsTruncated") else ""
        cutoff = time.time() - age_s
        found = []
        for item in objects:
            name = item["Key"].removeprefix(self.prefix)
            if NAME.fullmatch(name) and item["LastModified"].timestamp() <= cutoff:
                found.append(name)
        return found
