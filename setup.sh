#!/usr/bin/env bash
# Tidepool's two entry points on a Debian machine with Swift 6.1+ installed:
#   ./setup.sh run [ARGS...]   install what is missing, build, start tidepool (ARGS go to it)
#   ./setup.sh test            install what the tests need, build, run every test
# System packages come from apt (as root, or through sudo); Swift packages from SwiftPM.
set -euo pipefail
cd "$(dirname "$0")"

build_packages=(libcurl4-openssl-dev libncurses-dev libsqlite3-dev pkg-config)
test_packages=(nginx openssl tmux vim-tiny python3-prometheus-client)

install_missing() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    ((${#missing[@]})) || return 0
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
}

command -v swift >/dev/null || { echo "setup: swift is not on PATH; install Swift 6.1 or newer (swift.org)" >&2; exit 1; }

case "${1:-}" in
    run)
        shift
        install_missing "${build_packages[@]}"
        swift build --product tidepool
        exec .build/debug/tidepool "$@"
        ;;
    test)
        install_missing "${build_packages[@]}" "${test_packages[@]}"
        swift build --build-tests
        swift test --skip-build
        ;;
    *)
        echo "usage: ./setup.sh run [tidepool arguments...] | ./setup.sh test" >&2
        exit 2
        ;;
esac
