"""Direct invocation tells a context from a mock passed as a resource."""

from __future__ import annotations

from unittest.mock import Mock

import headwater as hw


class Cities(hw.ConfigurableResource):
    def get_cities(self, state: str) -> list[dict]:
        return []


@hw.asset
def cities(cities_api: Cities) -> list[dict]:
    return cities_api.get_cities("ny")


@hw.asset
def counted(context: hw.AssetExecutionContext, cities_api: Cities) -> int:
    return len(cities_api.get_cities("ny"))


def test_a_mock_passed_positionally_is_the_resource_not_a_context() -> None:
    api = Mock()
    api.get_cities.return_value = [{"city": "Fakestown", "population": 42}]
    assert cities(api) == [{"city": "Fakestown", "population": 42}]
    api.get_cities.assert_called_once_with("ny")


def test_a_real_context_first_is_still_the_context() -> None:
    api = Mock()
    api.get_cities.return_value = [{"city": "a"}, {"city": "b"}]
    assert counted(hw.build_asset_context(), api) == 2
