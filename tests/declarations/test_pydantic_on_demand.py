"""Run config, resource initialization and the default IO manager load without pydantic; the
pydantic-based classes load on first use, also through their former module paths."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_the_run_machinery_modules_do_not_import_pydantic() -> None:
    code = (
        "import sys\n"
        "import headwater.declarations.config.model\n"
        "import headwater.declarations.resources.definition\n"
        "import headwater.declarations.io_managers.filesystem\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported'\n"
        "from headwater.declarations.config.model import Config\n"
        "from headwater.declarations.resources.definition import ConfigurableResource, resource\n"
        "from headwater.declarations.config import base\n"
        "from headwater.declarations.resources import configurable, legacy\n"
        "assert Config is base.Config\n"
        "assert ConfigurableResource is configurable.ConfigurableResource\n"
        "assert resource is legacy.resource\n"
        "assert 'pydantic' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    from headwater.declarations.config import model
    from headwater.declarations.resources import definition

    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        model.Nope  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        definition.Nope  # noqa: B018
