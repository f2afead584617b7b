#!/usr/bin/env bash
# The README's run command. On a fresh Debian 12 machine: installs the build dependencies that
# are missing, builds httpfsm-server with the release preset and starts it on 127.0.0.1:4221.
# Any arguments are passed to the server. Without --directory it serves a sample directory
# (build/sample/files, with a file named foo) for /files and build/sample/static for /static/.
#
#   ci/run-server.sh                      # sample directories
#   ci/run-server.sh --directory /tmp/    # as the classic "your_program.sh --directory /tmp/"
set -euo pipefail
cd "$(dirname "$0")/.."

ci/deps.sh build
cmake --preset release >/dev/null
cmake --build --preset release --target httpfsm-server >/dev/null

args=("$@")
has_flag() {
  local a
  for a in "${args[@]}"; do [[ "$a" == "$1" || "$a" == "$1="* ]] && return 0; done
  return 1
}
sample=build/sample
if ! has_flag --directory; then
  mkdir -p "$sample/files"
  [[ -e "$sample/files/foo" ]] || printf 'Hello, World!' > "$sample/files/foo"
  args+=(--directory "$sample/files")
fi
if ! has_flag --static; then
  mkdir -p "$sample/static/css"
  [[ -e "$sample/static/index.html" ]] || cat > "$sample/static/index.html" <<'HTML'
<!doctype html>
<html><head><title>httpfsm</title><link rel="stylesheet" href="css/site.css"></head>
<body><h1>httpfsm-server</h1><p>This page is served from the static directory.</p></body></html>
HTML
  [[ -e "$sample/static/css/site.css" ]] || printf 'body { font-family: sans-serif; }\n' > "$sample/static/css/site.css"
  # An HTML form posting multipart/form-data to /files/ (README "POST /files/").
  [[ -e "$sample/static/upload.html" ]] || cp examples/static/upload.html "$sample/static/upload.html"
  # The WebSocket echo page (README): a browser opens ws://.../ws/echo from it.
  [[ -e "$sample/static/ws.html" ]] || cp examples/static/ws.html "$sample/static/ws.html"
  args+=(--static "$sample/static")
fi
exec build/release/server/httpfsm-server "${args[@]}"
