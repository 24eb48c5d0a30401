"""callback_url on POST /generate: the allow-list, hostile URLs refused with 422, the signature."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from redis import Redis

from examgen.app import create_app
from examgen.core import keys
from examgen.core.settings import get_settings
from examgen.services import callbacks, tokens
from tests.test_dashboard import SMALL_PDF
from tests.test_dashboard_auth import Client, auth


@pytest.fixture
def api(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    monkeypatch.setenv("EXAMGEN_CALLBACK_ALLOW", ALLOW)
    get_settings.cache_clear()
    with TestClient(app=create_app()) as client:
        yield client
    get_settings.cache_clear()


ALLOW = "127.0.0.1,https://hooks.example.invalid/ci/,https://bare.example.invalid,http://api.example.invalid:8080/v1"


def post(client: Client, token: str, url: str) -> tuple[int, dict[str, object]]:
    files = {"file": ("a.pdf", SMALL_PDF, "application/pdf")}
    answer = client.post("/generate", files=files, data={"callback_url": url}, headers=auth(token))
    return answer.status_code, answer.json()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1/",
        "http://user:pw@127.0.0.1/hook",
        "http://127.0.0.1@evil.invalid/",
        "http://localhost/hook",  # loopback, but not listed by name
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://127.0.0.1:99999/",
        "http://127.0.0.1/a b",
        "https://hooks.example.invalid/other/",
    ],
)
def test_hostile_callback_urls_are_422(api: Client, redis: Redis, url: str) -> None:
    token = tokens.create(redis, "alice")
    callbacks.new_secret(redis, "alice")
    status, body = post(api, token, url)
    assert status == 422 and set(body) == {"status_code", "detail"}
    assert str(body["detail"]).startswith("callback_url refused")


@pytest.mark.parametrize(
    "url",
    [
        "https://bare.example.invalid.attacker.invalid/",  # the entry's host, continued
        "https://bare.example.invalid:8443/",  # another port
        "http://bare.example.invalid/",  # another scheme
        "https://bare.example.invalidx/",
        "http://api.example.invalid:8080/v1x",  # not on a segment boundary
        "http://api.example.invalid:8080/v",
        "http://api.example.invalid/v1/",  # the default port is not 8080
        "https://hooks.example.invalid/ci",  # the entry asks for /ci/
        "https://hooks.example.invalid/ci/../admin",
        "https://hooks.example.invalid/ci/%2e%2e/admin",
    ],
)
def test_urls_outside_every_allowed_prefix_are_422_by_the_allow_list(api: Client, redis: Redis, url: str) -> None:
    token = tokens.create(redis, "alice")
    callbacks.new_secret(redis, "alice")
    status, body = post(api, token, url)
    assert status == 422 and "EXAMGEN_CALLBACK_ALLOW" in str(body["detail"])


@pytest.mark.parametrize(
    "url",
    [
        "https://bare.example.invalid",
        "https://bare.example.invalid/",
        "https://BARE.example.invalid:443/any/path?q=1",
        "https://hooks.example.invalid/ci/",
        "https://hooks.example.invalid/ci/build/7",
        "http://api.example.invalid:8080/v1",
        "http://api.example.invalid:8080/v1/",
        "http://api.example.invalid:8080/v1/hooks",
    ],
)
def test_urls_under_an_allowed_prefix_pass_the_allow_list(api: Client, redis: Redis, url: str) -> None:
    assert callbacks.listed(url)
    token = tokens.create(redis, "alice")
    callbacks.new_secret(redis, "alice")
    status, body = post(api, token, url)  # refused only because .invalid never resolves
    assert status == 422 and "does not resolve" in str(body["detail"])


def test_an_allowed_callback_is_in_the_job_view(api: Client, redis: Redis) -> None:
    alice = tokens.create(redis, "alice")
    callbacks.new_secret(redis, "alice")
    status, body = post(api, alice, "http://127.0.0.1:8765/hook")
    assert status == 202 and body["callback"] == {
        "url": "http://127.0.0.1:8765/hook",
        "state": "pending",
        "delivery_id": f"{body['job_id']}.ended",
        "next_attempt_at": None,
        "attempts": [],
    }
    again = api.get(f"/jobs/{body['job_id']}", headers=auth(alice)).json()
    assert again["callback"]["url"] == "http://127.0.0.1:8765/hook" and again["callback"]["state"] == "pending"
    plain = api.post("/generate", files={"file": ("a.pdf", SMALL_PDF, "application/pdf")}, headers=auth(alice))
    assert plain.json()["callback"] is None


def test_signature_is_hmac_sha256_of_timestamp_and_body(redis_url: str, redis: Redis) -> None:
    secret = callbacks.new_secret(redis, "alice")
    header = callbacks.signature(secret, b'{"job_id": "x"}', now=1700000000)
    stamp, mac = (part.split("=", 1)[1] for part in header.split(","))
    expected = hmac.new(secret.encode(), b'1700000000.{"job_id": "x"}', hashlib.sha256).hexdigest()
    assert stamp == "1700000000" and hmac.compare_digest(mac, expected)


def test_a_callback_without_a_signing_secret_is_422_naming_the_command(api: Client, redis: Redis) -> None:
    status, body = post(api, tokens.create(redis, "bob"), "http://127.0.0.1:8765/hook")
    assert status == 422 and "examgen token secret bob" in str(body["detail"])
    assert redis.zcard(keys.deliveries) == 0 and redis.zcard(keys.all_jobs) == 0


def test_the_submission_records_the_pending_delivery_with_the_job(api: Client, redis: Redis) -> None:
    alice = tokens.create(redis, "alice")
    callbacks.new_secret(redis, "alice")
    _, body = post(api, alice, "http://127.0.0.1:8765/hook")
    assert redis.zscore(keys.deliveries, str(body["job_id"])) is not None
    assert redis.hget(keys.delivery(str(body["job_id"])), "state") == b"pending"
    plain = api.post("/generate", files={"file": ("a.pdf", SMALL_PDF, "application/pdf")}, headers=auth(alice))
    assert redis.zscore(keys.deliveries, plain.json()["job_id"]) is None


def test_verify_accepts_its_own_signature_and_refuses_tampering_and_old_ones() -> None:
    body = b'{"job_id": "x"}'
    header = callbacks.signature("whsec_s", body, now=1_700_000_000)
    assert callbacks.verify("whsec_s", body, header, now=1_700_000_100)
    assert not callbacks.verify("whsec_s", body + b" ", header, now=1_700_000_100)
    assert not callbacks.verify("whsec_other", body, header, now=1_700_000_100)
    assert not callbacks.verify("whsec_s", body, header, now=1_700_000_301)
    assert not callbacks.verify("whsec_s", body, header, tolerance_s=10, now=1_700_000_011)
    for bad in ("", "t=1700000000", "v1=ab", "t=x,v1=ab", "t=１７,v1=ab", "t=1700000000,v1=é"):
        assert not callbacks.verify("whsec_s", body, bad, now=1_700_000_000)
