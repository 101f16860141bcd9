#!/usr/bin/env bash
# Makes the local Node base image that `npm run test:docker` builds our image on, once per tag: no
# container registry is reachable on the machines this project is developed on, so the base is a
# debootstrap rootfs of the host's Debian release with the host's own node and npm copied in.
# Prints the image name. The name is a variable (DOCKER_NODE_IMAGE), never a Node version chosen here:
# by default it is the host's node version, which is what the image then contains.
#   DOCKER_NODE_IMAGE=local/node:20.20.2-bookworm-debootstrap scripts/docker-node-base.sh
set -euo pipefail

suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
image=${DOCKER_NODE_IMAGE:-local/node:$(node --version | tr -d v)-$suite-debootstrap}
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "$image"
  exit 0
fi

# The Debian mirror this machine's apt already uses (deb822 `URIs:` or a one-line `deb` entry).
mirror=$(
  { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources || true
    grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list || true
  } | awk '{print $2}' | grep -v -e security -e nodesource -e cloud.google | head -n 1 || true
)
[ -n "$mirror" ] || { echo "docker-node-base: no Debian mirror in the apt configuration" >&2; exit 1; }

rootfs=$(mktemp -d /tmp/node-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "docker-node-base: debootstrap $suite from $mirror" >&2
debootstrap --variant=minbase --include=libstdc++6,ca-certificates "$suite" "$rootfs" "$mirror" >/dev/null
cp "$(command -v node)" "$rootfs/usr/bin/node"
mkdir -p "$rootfs/usr/lib/node_modules"
cp -a "$(npm root -g)/npm" "$rootfs/usr/lib/node_modules/"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/bin/npm"
chroot "$rootfs" useradd --uid 1000 --create-home node
# Behind a TLS-intercepting proxy the host trusts an extra CA: so must `npm ci` inside the build.
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
changes=(-c 'CMD ["node"]')
[ -n "${NODE_EXTRA_CA_CERTS:-}" ] && changes+=(-c "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt")
tar -C "$rootfs" -c . | docker import "${changes[@]}" - "$image" >/dev/null
echo "$image"
