# Sourced by scripts/demo and scripts/test: a project venv with the package installed.
# $1: the extras to install ("" or "dev"). Re-installs only when pyproject.toml changed.
# Says what it does on stderr; the first install shows pip's own progress.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "Skapar en virtuell Python-miljö i .venv…" >&2
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-${1:-base}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  spec="."; [ -n "${1:-}" ] && spec=".[${1}]"
  quiet=()
  if compgen -G ".venv/.installed-*" >/dev/null; then
    echo "Uppdaterar beroenden (pyproject.toml har ändrats)…" >&2
    quiet=(--quiet)
  else
    echo "Installerar beroenden (första gången tar det några minuter)…" >&2
  fi
  .venv/bin/pip install "${quiet[@]}" --disable-pip-version-check -e "$spec" >&2
  touch "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
