"""The schema: Query, Mutation (absent when read-only), Subscription, and the limits every
operation is validated against: depth, tokens, aliases and estimated cost."""

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)

from headwater.webserver.graphql.complexity import CostLimitRule
from headwater.webserver.graphql.fast import FastExecutor, accelerate
from headwater.webserver.graphql.mutations import Mutation
from headwater.webserver.graphql.query import Query
from headwater.webserver.graphql.subscriptions import Subscription

#: The deepest selection an operation may nest (`assets { nodes { downstream { ... } } }`).
MAX_DEPTH = 12
#: The most tokens an operation's text may have (bounds how many fields it can select).
MAX_TOKENS = 4000
#: The most aliases an operation may use (one field fetched many times under other names).
MAX_ALIASES = 30


def build_schema(*, read_only: bool = False, fast: bool = True) -> strawberry.Schema:
    """The GraphQL schema; ``read_only`` leaves out every mutation; ``fast`` resolves plain
    fields directly (``fast.accelerate``).

    Example:
        >>> "type Mutation" in str(build_schema(read_only=True))
        False
    """
    schema = strawberry.Schema(
        execution_context_class=FastExecutor if fast else None,
        query=Query,
        mutation=None if read_only else Mutation,
        subscription=Subscription,
        extensions=[  # factories: a fresh extension for each operation
            lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
            lambda: AddValidationRules([CostLimitRule]),  # fan-out: see complexity.py
        ],
    )
    if fast:
        accelerate(schema)
    return schema
