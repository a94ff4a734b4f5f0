"""The webserver: the GraphQL API at ``/graphql`` and the built UI at ``/`` (Starlette).

It reads definitions only through code servers and state only through the instance; see
``docs/webserver.md``.
"""
