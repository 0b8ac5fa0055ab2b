# Shared by scripts/setup and scripts/test. Source it; do not run it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

# Installs the Debian/Ubuntu packages that are missing (apt-get update only when needed).
apt_install() {
    local missing=()
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> installing ${missing[*]}"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

need_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        echo "error: the Swift toolchain (6.x) is not on PATH: install it from swift.org first" >&2
        exit 1
    fi
}

# The system libraries CorpusKit links: ICU, zlib, zstd (and pkg-config to find them).
install_build_deps() {
    apt_install pkg-config libicu-dev zlib1g-dev libzstd-dev
}

build_release() {
    echo "==> swift build -c release"
    swift build -c release 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]' || { echo "error: release build failed" >&2; exit 1; }
}
