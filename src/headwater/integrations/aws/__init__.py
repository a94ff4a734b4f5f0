"""AWS integration: an S3 client resource.

Needs the ``aws`` extra (``pip install headwater[aws]``: boto3). Importing this package does
not import boto3; it loads when a client is built.

Example:
    >>> from headwater import Definitions
    >>> from headwater.integrations.aws import S3Resource
    >>> defs = Definitions(resources={"s3": S3Resource(region_name="eu-west-1")})
"""

from __future__ import annotations

from headwater.integrations.aws.s3 import S3Resource as S3Resource

__all__ = ["S3Resource"]
