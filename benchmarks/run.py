"""Run every `benchmarks/bench_*.py` and print one `name: value unit` line per figure.

Each module exposes `collect() -> list[tuple[str, float, str]]`. A module that fails is reported on
stderr and the others still run; the exit code is then 1. Usage: `python benchmarks/run.py [name ...]`
(names filter the modules, e.g. `search`).
"""

from __future__ import annotations

import compileall
import importlib
import os
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # `python benchmarks/run.py` from a clone
    sys.path.insert(0, str(HERE.parent))


def benchmark_modules(only: list[str] | None = None) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if only:
        names = [n for n in names if any(word in n for word in only)]
    return [f"benchmarks.{name}" for name in names]


def format_figure(name: str, value: float, unit: str) -> str:
    if isinstance(value, int):  # counts (the reliability family): no decimals
        return f"{name}: {value}" + (f" {unit}" if unit else "")
    return f"{name}: {value:.3f} {unit}" if abs(value) < 100 else f"{name}: {value:.1f} {unit}"


def main(argv: list[str] | None = None) -> int:
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # An installed or frozen app runs from compiled bytecode; a checkout run with PYTHONDONTWRITEBYTECODE=1
    # (as on these machines) would compile every module from source at its first import, inside the
    # first-visit and first-meeting figures. Compiled once here, as an installer does; imports then read it.
    compileall.compile_dir(HERE.parent / "clspd_desktop", quiet=1)
    failed = False
    for module_name in benchmark_modules(sys.argv[1:] if argv is None else argv):
        try:
            figures = importlib.import_module(module_name).collect()
        except Exception:
            failed = True
            print(f"{module_name}: ÉCHEC\n{traceback.format_exc()}", file=sys.stderr)
            continue
        for name, value, unit in figures:
            print(format_figure(name, value, unit), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
