"""``S3Resource``: a configured boto3 S3 client for assets and checks that use S3 directly.

boto3 is imported when :meth:`S3Resource.get_client` is called, not when this module is
imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from headwater.declarations.resources.definition import ConfigurableResource
from headwater.errors import HeadwaterError

if TYPE_CHECKING:
    from botocore.client import BaseClient

__all__ = ["S3Resource"]

_INSTALL_HINT = "S3Resource needs boto3: pip install 'headwater[aws]'"


class S3Resource(ConfigurableResource):
    """An S3 client built from typed fields (the fields of Dagster's ``dagster_aws.s3.S3Resource``).

    Every field left at ``None`` falls back to boto3's own resolution (environment variables
    such as ``AWS_ACCESS_KEY_ID`` / ``AWS_ENDPOINT_URL_S3``, ``~/.aws/config``, instance roles).
    Any field may be given as an ``EnvVar``, read when a run starts.

    Args:
        region_name: the AWS region of the client, e.g. ``"us-east-1"``.
        endpoint_url: a custom endpoint (MinIO, LocalStack, a VPC endpoint), e.g.
            ``"http://localhost:9000"``.
        aws_access_key_id: the access key id of the session.
        aws_secret_access_key: the secret access key of the session.
        aws_session_token: a temporary session token.
        profile_name: a profile of the shared AWS config/credentials files.
        use_ssl: use HTTPS (default ``True``).
        verify: verify TLS certificates: ``None`` (default) and ``True`` verify with botocore's
            bundle, ``False`` does not verify, a string is the path of a CA bundle to use.
        max_attempts: given to boto3's retry handler as its ``max_attempts`` (default 5;
            botocore counts retries after the first call, so a call is tried at most 6 times).
        retry_mode: boto3's retry mode, ``"legacy"``, ``"standard"`` or ``"adaptive"``;
            ``None`` (default) keeps boto3's configured mode.
        use_unsigned_session: send anonymous (unsigned) requests, for public buckets.

    Example:
        >>> from headwater import EnvVar, asset
        >>> s3 = S3Resource(
        ...     endpoint_url="http://localhost:9000",
        ...     aws_access_key_id=EnvVar("AWS_ACCESS_KEY_ID"),
        ...     aws_secret_access_key=EnvVar("AWS_SECRET_ACCESS_KEY"),
        ...     region_name="us-east-1",
        ...     use_ssl=False,
        ... )
        >>> @asset
        ... def report_uploaded(s3: S3Resource) -> None:
        ...     s3.get_client().put_object(Bucket="reports", Key="daily.csv", Body=b"a,b\\n")
    """

    region_name: str | None = Field(default=None, description="The AWS region of the client.")
    endpoint_url: str | None = Field(default=None, description="A custom S3 endpoint URL.")
    aws_access_key_id: str | None = Field(default=None, description="The access key id.")
    aws_secret_access_key: str | None = Field(default=None, description="The secret access key.")
    aws_session_token: str | None = Field(default=None, description="A temporary session token.")
    profile_name: str | None = Field(default=None, description="A shared-config profile.")
    use_ssl: bool = Field(default=True, description="Use HTTPS.")
    verify: bool | str | None = Field(
        default=None, description="Verify TLS certificates (False: no; a string: a CA bundle)."
    )
    max_attempts: int = Field(default=5, ge=1, description="boto3's max_attempts.")
    retry_mode: Literal["legacy", "standard", "adaptive"] | None = Field(
        default=None, description="boto3's retry mode."
    )
    use_unsigned_session: bool = Field(default=False, description="Send unsigned requests.")

    def get_client(self) -> BaseClient:
        """A new boto3 S3 client configured from the fields.

        Returns:
            A ``botocore`` S3 client (``boto3.client("s3")``-like); building it makes no request.

        Raises:
            HeadwaterError: boto3 is not installed.
            botocore.exceptions.BotoCoreError: boto3 refused the configuration (for example
                ``ProfileNotFound`` for an unknown ``profile_name``), raised unchanged.
        """
        try:
            import boto3
            import botocore
            import botocore.config
        except ImportError as exc:
            raise HeadwaterError(_INSTALL_HINT) from exc
        retries: dict[str, Any] = {"max_attempts": self.max_attempts}
        if self.retry_mode is not None:
            retries["mode"] = self.retry_mode
        config = botocore.config.Config(
            retries=retries,
            signature_version=botocore.UNSIGNED if self.use_unsigned_session else None,
        )
        session = boto3.session.Session(profile_name=self.profile_name)
        return session.client(
            "s3",
            region_name=self.region_name,
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.aws_access_key_id,
            aws_secret_access_key=self.aws_secret_access_key,
            aws_session_token=self.aws_session_token,
            use_ssl=self.use_ssl,
            verify=self.verify,
            config=config,
        )
