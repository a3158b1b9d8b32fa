#!/usr/bin/env bash
# Installs the system libraries ddbstack builds against, and what the tests run (the loopback namespace; zsh for
# the completion script), when they are missing (Debian/Ubuntu).
set -euo pipefail
missing=()
for package in libyaml-dev libcurl4-openssl-dev libssl-dev iproute2 util-linux zsh; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "ddbstack: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
