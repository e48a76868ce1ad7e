# Sourced by the scripts in this folder: makes the project's environment from nothing.
# Needs only Python 3.11 on PATH; installs uv (pinned) into .tools/ and the locked packages into .venv/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
UV_VERSION=0.13.8
if [ ! -x .tools/bin/uv ] || ! .tools/bin/uv --version 2>/dev/null | grep -q " $UV_VERSION"; then
  echo "setup: installing uv $UV_VERSION into .tools/" >&2
  "$PYTHON" -m venv .tools
  .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" 2>&1 \
    | grep -v "is ignored: it is neither a file nor a directory" >&2 || true
fi
# --locked: fail instead of silently changing uv.lock; a no-op when .venv is already in sync.
UV_PYTHON_DOWNLOADS=never .tools/bin/uv sync --locked --quiet --python "$PYTHON"
export PATH="$ROOT/.venv/bin:$PATH"
