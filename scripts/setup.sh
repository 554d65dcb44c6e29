#!/usr/bin/env bash
# Set up this checkout on a fresh machine: the system programs the pipeline runs (LibreOffice,
# espeak-ng, ffmpeg, poppler, fonts), a virtual environment in .venv and the project inside it.
#   scripts/setup.sh            runtime + development tools (what `make video` and `make test` need)
#   SETUP_EXTRAS=dev,neural     choose the pip extras
#   SETUP_APT_EXTRA="chromium"  more Debian packages (the test suite's browser)
# With the dev extra it also installs the validators the test suite runs over the outputs: a Java
# runtime and node/npm from Debian when absent, and the npm packages pinned in package-lock.json
# into node_modules/.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
EXTRAS=${SETUP_EXTRAS:-dev}
# Carlito is metric-compatible with Calibri, the deck's font: LibreOffice renders with the
# same line breaks a reviewer sees in PowerPoint.
APT_PACKAGES="libreoffice-impress espeak-ng ffmpeg poppler-utils fonts-crosextra-carlito fonts-liberation fonts-dejavu-core ${SETUP_APT_EXTRA:-}"
case ",$EXTRAS," in
    *,dev,*) VALIDATORS=1 ;;
    *) VALIDATORS=0 ;;
esac

missing_packages() {
    local pkg
    for pkg in $APT_PACKAGES; do
        dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || printf '%s ' "$pkg"
    done
    [ "$VALIDATORS" = 1 ] || return 0
    # The validators' runtimes are looked for as programs, not package names: a machine may have
    # them from elsewhere (another JDK, a node build that bundles npm and conflicts with Debian's).
    command -v java >/dev/null 2>&1 || printf 'default-jre-headless '
    command -v node >/dev/null 2>&1 || printf 'nodejs '
    command -v npm >/dev/null 2>&1 || printf 'npm '
}

install_system_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        local tools="soffice espeak-ng ffmpeg ffprobe pdftoppm pdfinfo"
        [ "$VALIDATORS" = 1 ] && tools="$tools java node npm"
        for tool in $tools; do
            command -v "$tool" >/dev/null 2>&1 || {
                echo "error: '$tool' is not installed. Install LibreOffice (Impress), espeak-ng, ffmpeg and poppler-utils (and for the tests a Java runtime, node and npm) with your package manager, then run this again." >&2
                exit 1
            }
        done
        return
    fi
    local missing
    missing=$(missing_packages)
    [ -z "$missing" ] && return
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if sudo -n true 2>/dev/null; then
            sudo="sudo -n"
        else
            echo "error: missing system packages. Run this, then run the command again:" >&2
            echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing" >&2
            exit 1
        fi
    fi
    echo "installing system packages: $missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

install_python() {
    if [ ! -x "$VENV/bin/python" ]; then
        echo "creating virtual environment $VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    echo "installing the project with extras [$EXTRAS]"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$EXTRAS]"
}

install_validators() {
    [ "$VALIDATORS" = 1 ] || return 0
    # npm ci installs exactly package-lock.json; install scripts stay off (vnu-jar's would download a
    # Java runtime: Debian's is used instead).
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        echo "installing the test suite's validators (npm packages of package.json) into node_modules"
        npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    fi
}

install_system_packages
install_python
install_validators
