"""``python -m bench`` (``make bench``): runs every benchmark module's ``main()``."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench


def main() -> int:
    for module_info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bench.{module_info.name}")
        if hasattr(module, "main"):
            print(f"== bench.{module_info.name}", flush=True)
            module.main([])
    return 0


if __name__ == "__main__":
    sys.exit(main())
