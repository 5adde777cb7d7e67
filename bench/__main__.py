"""`python -m bench [--full] [NAME ...]`: run the benchmarks, print one table, write the JSON."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
import traceback
from types import ModuleType

import bench


def discover(names: list[str]) -> list[ModuleType]:
    found = sorted(
        module.name
        for module in pkgutil.iter_modules(bench.__path__)
        if module.name.startswith("bench_")
    )
    unknown = set(names) - set(found)
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))} (have {found})")
    return [
        importlib.import_module(f"bench.{name}") for name in found if not names or name in names
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--full", action="store_true", help="full sizes: slower, steadier figures")
    parser.add_argument("names", nargs="*", help="only these modules, e.g. bench_me")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    # The house logging config logs every httpx request at INFO: noise, and client time spent.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.conf import settings

    from bench.report import format_table, write_results

    rows, failed = [], []
    for module in discover(args.names):
        name = module.__name__.removeprefix("bench.")
        print(f"running {name} ({'full' if args.full else 'quick'})…", file=sys.stderr, flush=True)
        try:
            rows.extend(module.run(full=args.full))
        except Exception:
            # One broken benchmark must not hide the figures of the others.
            traceback.print_exc()
            failed.append(name)

    print(format_table(rows))
    path = settings.VAR_DIR / "bench" / "results.json"
    write_results(rows, path)
    print(f"\nwrote {path}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
