"""tools/bootstrap.sh on a machine where another apt holds the lock: it waits and shows progress.

The script runs in a copy of the repository's layout with stand-ins for apt-get, sudo, sleep,
python3 and the venv's python on PATH, so nothing is installed and nothing waits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash")


def stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/usr/bin/env bash\n" + body + "\n", encoding="utf-8")
    path.chmod(0o755)


def test_bootstrap_waits_for_the_dpkg_lock_and_shows_progress(tmp_path: Path) -> None:
    (tmp_path / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "bootstrap.sh", tmp_path / "tools" / "bootstrap.sh")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    log = tmp_path / "apt.log"
    # apt-get: the first update finds the lock taken (as when unattended-upgrades runs), then works
    stub(bin_, "apt-get", f"""
echo "$*" >> {log}
if [[ "$*" == *update* ]] && [ ! -e {tmp_path}/updated-once ]; then
  touch {tmp_path}/updated-once
  echo "E: Could not get lock /var/lib/apt/lists/lock" >&2; exit 100
fi
if [[ "$*" == *install* ]]; then echo "Unpacking libreoffice-writer-nogui ..."; echo "Setting up fonts-noto-cjk ..."; fi
exit 0""")
    stub(bin_, "sudo", '"$@"')
    stub(bin_, "sleep", "exit 0")
    stub(bin_, "fc-list", "exit 0")
    stub(bin_, "python3", f"mkdir -p {tmp_path}/.venv/bin; cp {bin_}/venv-python {tmp_path}/.venv/bin/python")
    stub(bin_, "venv-python", "exit 0")
    stub(bin_, "npm", f'echo "npm $*" >> {log}')
    for tool in ("bash", "env", "dirname", "id", "sed", "grep", "mkdir", "cp", "touch", "cat"):
        found = shutil.which(tool)
        if found and not (bin_ / tool).exists():
            (bin_ / tool).symlink_to(found)
    done = subprocess.run(["bash", str(tmp_path / "tools" / "bootstrap.sh")], capture_output=True, text=True,
                          env={"PATH": str(bin_), "HOME": str(tmp_path)}, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert [c for c in calls if "update" in c] == ["-o DPkg::Lock::Timeout=600 update -q"] * 2  # retried
    [install] = [c for c in calls if "install" in c and not c.startswith("npm")]
    assert "DPkg::Lock::Timeout=600" in install and "-qq" not in install
    out = done.stdout
    assert "重试" in out and "Unpacking libreoffice-writer-nogui" in out  # progress is not hidden
    assert out.index("安装 LibreOffice") < out.index("Unpacking") < out.index("完成")
    assert os.path.exists(tmp_path / ".venv" / "bin" / "python")
    assert any(c.startswith("npm install") and "yaml-language-server@" in c for c in calls)
