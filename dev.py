#!/usr/bin/env python3
"""One entry point for a fresh machine with nothing but Python 3.

    python3 dev.py run    create .venv, install, create the SQLite database, seed the demo
                          centre on first start and serve it at http://127.0.0.1:5000
    python3 dev.py test   create .venv, install test tools, lint, run the whole test suite

Only the standard library is used here, because nothing else exists yet when it runs.
"""
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"


def ensure_venv(requirements):
    if not PY.exists():
        print("Creating virtual environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256()
    for name in ("requirements.txt", requirements):
        digest.update((ROOT / name).read_bytes())
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    print(f"Installing {requirements} …", flush=True)
    subprocess.run([str(PY), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "-r", str(ROOT / requirements)], check=True)
    stamp.write_text(digest.hexdigest())


def run(args):
    ensure_venv("requirements.txt")
    os.chdir(ROOT)  # `-m queue_app` and config/ are found from the repository root
    os.execv(str(PY), [str(PY), "-m", "queue_app", "--demo", *args])


def test(args):
    ensure_venv("requirements-dev.txt")
    print("Lint: flake8", flush=True)
    subprocess.run([str(PY), "-m", "flake8", "queue_app", "kiosk", "display", "config",
                    "tests", "bench", "dev.py"], check=True, cwd=ROOT)
    code = subprocess.run([str(PY), "-m", "pytest", *args], cwd=ROOT).returncode
    sys.exit(code)


if __name__ == "__main__":
    commands = {"run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        sys.exit(2)
    try:
        commands[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode or 1)
