#!/usr/bin/env bash
# The local AWS test bed: ministack 1.5.33 (patched at launch, see scripts/testbed/ministack_patched.py) on
# 127.0.0.1, in the project's own virtualenv.
#   scripts/testbed.sh install       install ministack into .venv/ministack when missing
#   scripts/testbed.sh start DIR     start it on a free port, and the fault proxy in front of it; writes DIR/port,
#                                    DIR/pid, DIR/proxy-port, DIR/proxy-pid; waits until both answer.
#                                    TESTBED_AUTH=true makes ministack verify signatures (keys from IAM CreateAccessKey).
#   scripts/testbed.sh stop DIR      stop both by their PIDs
#   scripts/testbed.sh isolated CMD… run CMD in a loopback-only network namespace with a test bed started, and
#                                    TESTBED_ENDPOINT, TESTBED_PROXY and dummy credentials exported; stops it after
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv/ministack"

install() {
  if [[ ! -x "$venv/bin/ministack" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check ministack==1.5.33
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

start() {
  local dir=$1 port
  install
  mkdir -p "$dir"
  port=$(free_port)
  # Dummy credentials and no metadata look-ups: nothing may leave loopback.
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true \
  GATEWAY_PORT=$port BIND_HOST=127.0.0.1 MINISTACK_HOST=127.0.0.1 IOT_MTLS_ENABLED=0 SFTP_ENABLED=0 PERSIST_STATE=0 \
  DOCKER_HOST=unix:///nonexistent/docker.sock LOG_LEVEL=${LOG_LEVEL:-WARNING} AUTH=${TESTBED_AUTH:-false} \
    "$venv/bin/python" "$root/scripts/testbed/ministack_patched.py" >"$dir/ministack.log" 2>&1 &
  echo $! >"$dir/pid"
  echo "$port" >"$dir/port"
  for _ in $(seq 1 100); do
    if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/_ministack/ready', timeout=1)" 2>/dev/null; then
      start_proxy "$dir" "$port"
      return 0
    fi
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || { cat "$dir/ministack.log" >&2; return 1; }
    sleep 0.1
  done
  echo "ministack did not become ready on 127.0.0.1:$port" >&2
  stop "$dir"
  return 1
}

start_proxy() {
  local dir=$1 port=$2
  python3 "$root/scripts/testbed/fault_proxy.py" "$port" >"$dir/proxy-port" 2>"$dir/proxy.log" &
  echo $! >"$dir/proxy-pid"
  for _ in $(seq 1 50); do
    [[ -s "$dir/proxy-port" ]] && return 0
    sleep 0.1
  done
  echo "the fault proxy did not start" >&2
  return 1
}

stop_pid() {
  local file=$1
  [[ -f "$file" ]] || return 0
  local pid
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$file"
}

stop() {
  stop_pid "$1/proxy-pid"
  stop_pid "$1/pid"
}

isolated() {
  install
  exec unshare --net sh -c '
    set -e
    ip link set lo up
    bed=$(mktemp -d)
    trap "\"$0\" stop \"$bed\"; rm -rf \"$bed\"" EXIT
    "$0" start "$bed"
    export TESTBED_DIR="$bed" TESTBED_ENDPOINT="http://127.0.0.1:$(cat "$bed/port")" TESTBED_PROXY="http://127.0.0.1:$(cat "$bed/proxy-port")"
    export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1
    "$@"
  ' "$root/scripts/testbed.sh" "$@"
}

case "${1:-}" in
  install) install ;;
  isolated) shift; isolated "$@" ;;
  start) start "${2:?usage: testbed.sh start DIR}" ;;
  stop) stop "${2:?usage: testbed.sh stop DIR}" ;;
  *) echo "usage: scripts/testbed.sh install | start DIR | stop DIR | isolated CMD..." >&2; exit 2 ;;
esac
