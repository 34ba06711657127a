#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian/Ubuntu machine:
# LibreOffice Writer and a CJK font (to check that documents open and convert to PDF),
# then a virtual environment in .venv with the package and its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

need_system=0
command -v soffice >/dev/null 2>&1 || need_system=1
fc-list :lang=zh 2>/dev/null | grep -q . || need_system=1
if [ "$need_system" = 1 ]; then
  as_root=()
  [ "$(id -u)" = 0 ] || as_root=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui fonts-noto-cjk poppler-utils >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
# The lowest PyYAML that pyproject.toml allows, beside the newest that pip just chose:
# tests/test_yaml_versions.py runs the loader against both (their error texts differ).
lowest_yaml=$(sed -n 's/^ *"PyYAML>=\([0-9.]*\),.*/\1/p' pyproject.toml)
.venv/bin/python -m pip install -q --no-deps --upgrade --target .venv/pyyaml-lowest "PyYAML==${lowest_yaml}"
