#!/bin/sh
# Installs or upgrades the Yunwei host agent on this host. Served by Yunwei at /agent/install.sh:
#
#   curl -fsSL https://yunwei.example.cn/agent/install.sh | sh -s -- --token ywe_...
#
# It downloads the agent from the same server (the one-file bundle when node >= 20 is here, otherwise the
# self-contained executable), checks it against the server's SHA256SUMS, enrols the host with the one-time
# token, writes the systemd unit and starts the agent. Without systemd it starts the agent in the background
# (nohup) with a pid file. Running it again upgrades in place: the agent keeps its identity and credential.
#
# POSIX sh (dash, busybox ash): no bashisms. Everything runs from main(), called on the last line, so the
# whole script is read before anything runs ("curl | sh" hands it over a pipe).
set -eu

# Filled in by the server that served this script: its public address.
DEFAULT_SERVER='@@YUNWEI_SERVER_URL@@'
DEFAULT_PREFIX=/opt/yunwei-agent
# The node flags of the resident agent (the same as NODE_FLAGS in apps/agent/src/systemd.ts).
NODE_FLAGS='--lite-mode --no-expose-wasm --max-semi-space-size=1'

usage() {
  cat <<'EOF'
Usage: sh install.sh --token TOKEN [options]

  --token TOKEN      one-time enrolment token (Yunwei: 主机代理 → 新建注册令牌); not needed to upgrade
  --server URL       Yunwei's address (default: the server this script came from)
  --prefix DIR       where the agent is installed (default /opt/yunwei-agent; also YUNWEI_AGENT_ROOT)
  --config FILE      the agent's config with its credential (default /etc/yunwei-agent/config.json,
                     or DIR/etc/config.json with another --prefix)
  --interval S       seconds between samples (default 15)
  --bundle           install yunwei-agent.mjs (needs node >= 20)
  --executable       install the self-contained executable (no node needed)
  --node PATH        the node to run the bundle with (default: node on PATH, if it is 20 or later)
  --no-systemd       do not use systemd: start the agent in the background with a pid file
  --allow-remote-exec
                     let Yunwei run commands on this host through the agent (off by default;
                     commands are signed by the server and verified by the agent)
  -h, --help         this text
EOF
}

say() { printf 'yunwei-agent install: %s\n' "$*"; }
die() {
  printf 'yunwei-agent install: error: %s\n' "$*" >&2
  exit 1
}

# Single-quotes a word for a shell script (the wrapper written below).
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# True when $1 is a node of version 20 or later.
node_ok() { [ -n "$1" ] && "$1" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' </dev/null >/dev/null 2>&1; }

# fetch URL FILE: downloads, saying what the server answered when it refuses.
fetch() {
  if command -v curl >/dev/null 2>&1; then
    code=$(curl -sSL --retry 2 -o "$2" -w '%{http_code}' "$1" </dev/null) || die "cannot download $1"
    [ "$code" = 200 ] || die "$1 answered $code: $(sed -n 1p "$2" | cut -c1-300)"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" </dev/null || die "cannot download $1"
  else
    die 'needs curl or wget to download the agent'
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 "$1" | sed 's/.*= *//'
  else
    die 'needs sha256sum, shasum or openssl to check the download'
  fi
}

# A string field of the agent's config (JSON written by the agent itself, one field per line).
config_field() { sed -n "s/^ *\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" "$CONFIG" 2>/dev/null | sed -n 1p; }

# True when pid $1 is a yunwei-agent process (a stale pid file may name someone else's process now).
is_agent() {
  if [ -r "/proc/$1/cmdline" ]; then
    tr '\000' ' ' <"/proc/$1/cmdline" | grep -q yunwei-agent
  else
    ps -p "$1" -o args= 2>/dev/null | grep -q yunwei-agent
  fi
}

# Stops the agent started by an earlier run without systemd (its pid file).
stop_direct() {
  [ -f "$PIDFILE" ] || return 0
  pid=$(sed -n 1p "$PIDFILE")
  case $pid in '' | *[!0-9]*) pid='' ;; esac
  if [ -n "$pid" ] && kill -s 0 "$pid" 2>/dev/null && is_agent "$pid"; then
    say "stopping the running agent (pid $pid)"
    kill "$pid" 2>/dev/null || true
    waited=0
    while kill -s 0 "$pid" 2>/dev/null; do
      waited=$((waited + 1))
      if [ "$waited" -gt 15 ]; then
        kill -s KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 1
    done
  fi
  rm -f "$PIDFILE"
}

main() {
  SERVER=$DEFAULT_SERVER
  case $SERVER in @@*) SERVER='' ;; esac
  PREFIX=${YUNWEI_AGENT_ROOT:-$DEFAULT_PREFIX}
  TOKEN=''
  CONFIG=''
  INTERVAL=''
  FORM=''
  NODE=''
  SYSTEMD=auto
  REMOTE_EXEC_ARGS=''
  while [ $# -gt 0 ]; do
    case $1 in
      --token | --server | --prefix | --config | --interval | --node)
        if [ $# -lt 2 ] || [ -z "$2" ]; then
          die "$1 needs a value"
        fi
        case $1 in
          --token) TOKEN=$2 ;;
          --server) SERVER=$2 ;;
          --prefix) PREFIX=$2 ;;
          --config) CONFIG=$2 ;;
          --interval) INTERVAL=$2 ;;
          --node) NODE=$2 ;;
        esac
        shift 2
        ;;
      --bundle) FORM=bundle && shift ;;
      --executable) FORM=executable && shift ;;
      --no-systemd) SYSTEMD=no && shift ;;
      --allow-remote-exec) REMOTE_EXEC_ARGS=--allow-remote-exec && shift ;;
      -h | --help) usage && exit 0 ;;
      *) die "unknown option \"$1\" (see --help)" ;;
    esac
  done

  SERVER=${SERVER%/}
  case $SERVER in
    http://?* | https://?*) ;;
    '') die 'pass --server URL (the address of Yunwei)' ;;
    *) die "--server must start with http:// or https://, got \"$SERVER\"" ;;
  esac
  case $PREFIX in
    *[!A-Za-z0-9._/-]*) die "--prefix may hold letters, digits and . _ - / only, got \"$PREFIX\"" ;;
    /?*) ;;
    *) die "--prefix must be an absolute path, got \"$PREFIX\"" ;;
  esac
  PREFIX=${PREFIX%/}
  case $INTERVAL in
    '') ;;
    *[!0-9]* | 0* | ?????*) die "--interval must be whole seconds from 1 to 9999, got \"$INTERVAL\"" ;;
  esac

  # Where things go: FHS places for the default prefix, everything under the prefix otherwise.
  if [ "$PREFIX" = "$DEFAULT_PREFIX" ]; then
    CONFIG=${CONFIG:-/etc/yunwei-agent/config.json}
    STATE_ARGS=''
  else
    CONFIG=${CONFIG:-$PREFIX/etc/config.json}
    STATE_ARGS="--state-dir $PREFIX/var/state"
  fi
  PIDFILE=$PREFIX/var/yunwei-agent.pid
  LOGFILE=$PREFIX/var/yunwei-agent.log
  INTERVAL_ARGS=''
  [ -z "$INTERVAL" ] || INTERVAL_ARGS="--interval $INTERVAL"

  mkdir -p "$PREFIX/bin" "$PREFIX/lib" "$PREFIX/var" 2>/dev/null || die "cannot create $PREFIX (run as root, e.g. curl ... | sudo sh -s -- ...)"
  [ -w "$PREFIX/bin" ] || die "cannot write to $PREFIX (run as root, e.g. curl ... | sudo sh -s -- ...)"

  if [ -f "$CONFIG" ] && [ -n "$(config_field credential)" ]; then
    ENROLLED=yes
  else
    ENROLLED=no
    [ -n "$TOKEN" ] || die 'pass --token TOKEN (a one-time enrolment token: Yunwei → 主机代理 → 新建注册令牌)'
  fi

  # Which agent: the bundle when a node >= 20 is here, else the executable for this platform.
  case $(uname -s) in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) os=$(uname -s | tr '[:upper:]' '[:lower:]') ;;
  esac
  case $(uname -m) in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) arch=$(uname -m) ;;
  esac
  EXE_NAME=yunwei-agent-$os-$arch
  if [ -n "$NODE" ]; then
    node_ok "$NODE" || die "--node $NODE is not node 20 or later"
  else
    NODE=$(command -v node 2>/dev/null || true)
    node_ok "$NODE" || NODE=''
  fi

  TMP=$(mktemp -d "$PREFIX/.download.XXXXXX") || die "cannot make a temporary directory in $PREFIX"
  trap 'rm -rf "$TMP"' EXIT
  trap 'exit 130' INT TERM
  fetch "$SERVER/agent/SHA256SUMS" "$TMP/SHA256SUMS"
  HAS_EXE=no
  awk -v f="$EXE_NAME" '$2 == f { found = 1 } END { exit !found }' "$TMP/SHA256SUMS" && HAS_EXE=yes
  if [ -z "$FORM" ]; then
    if [ -n "$NODE" ]; then
      FORM=bundle
    elif [ "$HAS_EXE" = yes ]; then
      say "no node 20 or later here: installing the self-contained executable"
      FORM=executable
    else
      die "this host has no node 20 or later, and $SERVER offers no executable for $os-$arch: install Node.js 20 or later and run this again"
    fi
  fi
  if [ "$FORM" = bundle ]; then
    [ -n "$NODE" ] || die '--bundle needs node 20 or later (or --node PATH)'
    FILE=yunwei-agent.mjs
  else
    [ "$HAS_EXE" = yes ] || die "$SERVER offers no executable for $os-$arch (it has: $(awk '{ printf "%s ", $2 }' "$TMP/SHA256SUMS"))"
    FILE=$EXE_NAME
  fi

  say "downloading $FILE from $SERVER"
  fetch "$SERVER/agent/$FILE" "$TMP/$FILE"
  expected=$(awk -v f="$FILE" '$2 == f { print $1 }' "$TMP/SHA256SUMS")
  actual=$(sha256_of "$TMP/$FILE")
  if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
    die "checksum mismatch for $FILE: SHA256SUMS says ${expected:-nothing}, the download is $actual"
  fi
  say "checksum verified ($actual)"

  # Into place by rename: a running agent keeps the file it started from until it is restarted.
  AGENT=$PREFIX/bin/yunwei-agent
  chmod 755 "$TMP/$FILE"
  if [ "$FORM" = bundle ]; then
    mv -f "$TMP/$FILE" "$PREFIX/lib/yunwei-agent.mjs"
    {
      printf '%s\n' '#!/bin/sh' '# The Yunwei host agent (yunwei-agent.mjs) on this node; written by install.sh.'
      printf 'exec %s %s %s "$@"\n' "$(quote "$NODE")" "$NODE_FLAGS" "$(quote "$PREFIX/lib/yunwei-agent.mjs")"
    } >"$TMP/wrapper"
    chmod 755 "$TMP/wrapper"
    mv -f "$TMP/wrapper" "$AGENT"
  else
    mv -f "$TMP/$FILE" "$AGENT"
    rm -f "$PREFIX/lib/yunwei-agent.mjs"
  fi
  VERSION=$("$AGENT" --version </dev/null) || die "the downloaded agent does not run on this host"
  say "installed yunwei-agent $VERSION ($FORM) in $PREFIX"
  if [ "$PREFIX" = "$DEFAULT_PREFIX" ] && [ -d /usr/local/bin ]; then
    ln -sf "$AGENT" /usr/local/bin/yunwei-agent 2>/dev/null || true
  fi

  if [ "$ENROLLED" = yes ]; then
    say "already enrolled as agent $(config_field agentId) ($CONFIG): keeping its identity and credential"
    was=$(config_field server)
    [ "$was" = "$SERVER" ] || say "note: it reports to $was (from its config), not $SERVER"
    if [ -n "$REMOTE_EXEC_ARGS" ]; then
      "$AGENT" remote-exec on --config "$CONFIG" </dev/null >/dev/null || die 'could not allow remote execution in the config'
      say "remote execution allowed in $CONFIG"
    fi
  else
    # The agent's own "next: ..." advice is what this script does next: only its first line is shown.
    # shellcheck disable=SC2086 # STATE_ARGS, INTERVAL_ARGS and REMOTE_EXEC_ARGS are words on purpose
    if ! enrolled=$("$AGENT" enroll --server "$SERVER" --token "$TOKEN" --config "$CONFIG" $STATE_ARGS $INTERVAL_ARGS $REMOTE_EXEC_ARGS </dev/null 2>&1); then
      printf '%s\n' "$enrolled" >&2
      die 'enrolment failed (see above)'
    fi
    say "$(printf '%s\n' "$enrolled" | sed -n 1p)"
  fi

  if [ "$SYSTEMD" = auto ]; then
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      SYSTEMD=yes
    else
      SYSTEMD=no
      say 'systemd is not running on this host: starting the agent directly in the background (nohup)'
    fi
  fi
  if [ "$SYSTEMD" = yes ]; then
    stop_direct
    # shellcheck disable=SC2086
    "$AGENT" install --config "$CONFIG" $INTERVAL_ARGS </dev/null >/dev/null || die 'could not write the systemd unit'
    systemctl daemon-reload
    systemctl enable yunwei-agent >/dev/null 2>&1 || die 'systemctl enable yunwei-agent failed'
    systemctl restart yunwei-agent || die 'systemctl restart yunwei-agent failed (see: journalctl -u yunwei-agent)'
    say 'started: systemctl status yunwei-agent; logs: journalctl -u yunwei-agent -f'
  else
    stop_direct
    # shellcheck disable=SC2086
    nohup "$AGENT" run --config "$CONFIG" $INTERVAL_ARGS </dev/null >>"$LOGFILE" 2>&1 &
    echo $! >"$PIDFILE"
    sleep 2
    if ! kill -s 0 "$(cat "$PIDFILE")" 2>/dev/null; then
      tail -n 20 "$LOGFILE" >&2
      die "the agent stopped at once (log: $LOGFILE)"
    fi
    say "started: pid $(cat "$PIDFILE") ($PIDFILE), log $LOGFILE"
    say "it is not restarted at boot: add \"$AGENT run --config $CONFIG\" to this host's init system"
    say "stop it with: kill \$(cat $PIDFILE)"
  fi
}

main "$@"
