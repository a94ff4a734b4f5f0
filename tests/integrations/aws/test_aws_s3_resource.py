"""S3Resource builds a real boto3 S3 client from its fields (no request is sent anywhere)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import botocore
import pytest
from botocore.exceptions import ProfileNotFound

from headwater import AssetExecutionContext, EnvVar, asset, materialize
from headwater.compat import importer
from headwater.integrations.aws import S3Resource

_LOCAL = "http://127.0.0.1:9"  # discard port on this machine; nothing is ever sent


def test_client_carries_endpoint_region_and_credentials() -> None:
    client = S3Resource(
        endpoint_url=_LOCAL,
        region_name="eu-west-3",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        aws_session_token="token",
    ).get_client()

    assert client.meta.service_model.service_name == "s3"
    assert client.meta.endpoint_url == _LOCAL
    assert client.meta.region_name == "eu-west-3"
    credentials = client._request_signer._credentials
    assert (credentials.access_key, credentials.secret_key, credentials.token) == (
        "AKIDEXAMPLE",
        "secret",
        "token",
    )


def test_retries_and_unsigned_session_reach_the_client_config() -> None:
    client = S3Resource(
        endpoint_url=_LOCAL,
        region_name="us-east-1",
        max_attempts=2,
        retry_mode="standard",
        use_unsigned_session=True,
    ).get_client()

    # botocore counts the first call too: max_attempts retries -> max_attempts + 1 calls.
    assert client.meta.config.retries == {"total_max_attempts": 3, "mode": "standard"}
    assert client.meta.config.signature_version is botocore.UNSIGNED


def test_defaults_match_dagster_aws() -> None:
    resource = S3Resource()

    assert resource.use_ssl is True
    assert resource.max_attempts == 5
    assert resource.verify is None
    assert resource.use_unsigned_session is False
    client = S3Resource(region_name="us-east-1").get_client()
    assert client.meta.config.retries["total_max_attempts"] == 6
    assert client.meta.endpoint_url.startswith("https://")


def test_verify_false_turns_certificate_checks_off() -> None:
    client = S3Resource(region_name="us-east-1", verify=False).get_client()

    assert client._endpoint.http_session._verify is False


def test_use_ssl_false_gives_an_http_endpoint() -> None:
    client = S3Resource(region_name="us-east-1", use_ssl=False).get_client()

    assert client.meta.endpoint_url == "http://s3.amazonaws.com"


def test_unknown_profile_raises_botocores_error() -> None:
    with pytest.raises(ProfileNotFound, match="no-such-profile"):
        S3Resource(profile_name="no-such-profile").get_client()


def test_env_var_fields_are_read_when_the_run_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HW_TEST_S3_ENDPOINT", _LOCAL)
    monkeypatch.setenv("HW_TEST_S3_KEY", "AKIDFROMENV")
    seen: dict[str, str | None] = {}

    @asset
    def s3_endpoint(context: AssetExecutionContext, s3: S3Resource) -> None:
        client = s3.get_client()
        seen["endpoint"] = client.meta.endpoint_url
        seen["region"] = client.meta.region_name
        seen["key"] = client._request_signer._credentials.access_key

    resource = S3Resource(
        endpoint_url=EnvVar("HW_TEST_S3_ENDPOINT"),
        aws_access_key_id=EnvVar("HW_TEST_S3_KEY"),
        aws_secret_access_key="secret",
        region_name="us-east-1",
        use_ssl=False,
    )
    result = materialize([s3_endpoint], resources={"s3": resource})

    assert result.success
    assert seen == {"endpoint": _LOCAL, "region": "us-east-1", "key": "AKIDFROMENV"}
    assert "AKIDFROMENV" not in repr(resource)


@pytest.fixture
def hook() -> Iterator[None]:
    importer.install()
    try:
        yield
    finally:
        importer.uninstall()


def test_dagster_aws_s3_is_served_by_the_aws_integration(hook: None) -> None:
    import dagster_aws
    from dagster_aws.s3 import S3Resource as served

    assert served is S3Resource
    assert dagster_aws.__path__ == []
    with pytest.raises(ModuleNotFoundError, match=r"dagster_aws\.emr"):
        importlib.import_module("dagster_aws.emr")
