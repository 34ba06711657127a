#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian/Ubuntu machine:
# LibreOffice Writer and the free faces `build --pdf` maps the official ones to (Noto CJK,
# AR PL UKai, Liberation; see docs/pdf.md), Chromium (to check that the HTML preview opens in a
# real browser and shows the document's text), then a virtual environment in .venv with the
# package and its test extras.
# Needs: Debian or Ubuntu (apt-get), root or sudo, and access to the apt mirror and PyPI.
# When LibreOffice and these fonts are installed already, apt is not run (no root needed).
set -euo pipefail
cd "$(dirname "$0")/.."

need_system=0
command -v soffice >/dev/null 2>&1 || need_system=1
fc-list :lang=zh 2>/dev/null | grep -q . || need_system=1
# the faces dangjian_docs/pdf.py maps 楷体 and Times New Roman to
for family in "AR PL UKai CN" "Liberation Serif"; do
  fc-list "$family" 2>/dev/null | grep -q . || need_system=1
done
command -v npm >/dev/null 2>&1 || need_system=1
command -v chromium >/dev/null 2>&1 || need_system=1
if [ "$need_system" = 1 ]; then
  as_root=()
  [ "$(id -u)" = 0 ] || as_root=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  # Another apt (unattended-upgrades on a fresh machine, often) may hold the dpkg lock:
  # wait for it up to ten minutes instead of failing at once.
  apt_wait=(-o DPkg::Lock::Timeout=600)
  echo "==> 更新软件包列表（如有其他 apt 正在运行，最多等待 10 分钟）…"
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    "${as_root[@]}" apt-get "${apt_wait[@]}" update -q && break
    [ "$attempt" = 10 ] && { echo "apt-get update 失败：请检查网络和软件包镜像（/etc/apt/sources.list）。" >&2; exit 1; }
    echo "    apt 正被占用或镜像暂时无法访问，60 秒后重试（第 $attempt 次）…"
    sleep 60
  done
  echo "==> 安装 LibreOffice Writer、中文字体、poppler、Chromium 和 Node.js（约 700 MB，需要几分钟；下面是 apt 的进度）…"
  packages=(libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai fonts-liberation2 poppler-utils chromium)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
  "${as_root[@]}" apt-get "${apt_wait[@]}" install -y -q --no-install-recommends \
    -o Dpkg::Use-Pty=0 "${packages[@]}"
  echo "==> 系统软件包已安装。"
fi

echo "==> 创建 .venv 并安装本工具和测试依赖…"
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
echo "==> 安装 pyproject.toml 允许的最低版本 PyYAML（供 tests/test_yaml_versions.py 对照）…"
# The lowest PyYAML that pyproject.toml allows, beside the newest that pip just chose:
# tests/test_yaml_versions.py runs the loader against both (their error texts differ).
lowest_yaml=$(sed -n 's/^ *"PyYAML>=\([0-9.]*\),.*/\1/p' pyproject.toml)
.venv/bin/python -m pip install -q --no-deps --upgrade --target .venv/pyyaml-lowest "PyYAML==${lowest_yaml}"
echo "==> 安装编辑器的校验程序 yaml-language-server（供 tests/test_editor_schema.py 对照编辑器的提示）…"
npm install --prefix .venv/editor --no-audit --no-fund --silent yaml-language-server@2.0.0
echo "==> 完成。运行测试：.venv/bin/python -m pytest"
