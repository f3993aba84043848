# Sourced by scripts/demo and scripts/test: a project venv with the package installed.
# $1: the extras to install ("" or "dev"). Re-installs only when pyproject.toml changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=".venv/.installed-${1:-base}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  spec="."; [ -n "${1:-}" ] && spec=".[${1}]"
  .venv/bin/pip install --quiet --disable-pip-version-check -e "$spec"
  touch "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
