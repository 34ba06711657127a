"""A data repo: many data files in a folder tree, built together, incrementally, in parallel.

This layer sits above :mod:`dangjian_docs.api`: it finds the files a config names, validates
them all, and asks the API to render only the documents whose inputs changed. Names are
imported on first use: the command line reads its config at start-up and must
not pay for the process pool or the loaders then.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .build import Outcome, build_repo, check_repo
    from .config import CONFIG_NAME, RepoConfig, default_config, is_repo, load_config
    from .discovery import Shard, parse_shard
    from .scaffold import init_repo

_LAZY = {"Outcome": ".build", "build_repo": ".build", "check_repo": ".build", "CONFIG_NAME": ".config",
         "RepoConfig": ".config", "default_config": ".config", "is_repo": ".config", "load_config": ".config",
         "Shard": ".discovery", "parse_shard": ".discovery", "init_repo": ".scaffold"}

__all__ = ["CONFIG_NAME", "Outcome", "RepoConfig", "Shard", "build_repo", "check_repo", "default_config",
           "init_repo", "is_repo", "load_config", "parse_shard"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
