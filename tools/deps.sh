# Sourced by tools/quickstart and tools/check: installs the Debian packages
# ecoest needs when they are missing (apt-get, as root or through sudo).
# ECOEST_DEPS_EXTRA adds packages (tools/check adds the fuzzing toolchain).

ecoest_deps="cmake make gcc g++ pkg-config libcsv-dev libcjson-dev libcurl4-openssl-dev libcmocka-dev tzdata libyaml-dev"

ecoest_install_deps() {
    missing=""
    for p in $ecoest_deps ${ECOEST_DEPS_EXTRA:-}; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "ecoest: installing missing Debian packages:$missing" >&2
    if [ "$(id -u)" = 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "ecoest: not root and no sudo: install these packages first:$missing" >&2
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq &&
        # shellcheck disable=SC2086
        $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}
