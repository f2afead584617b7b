#!/usr/bin/env bash
# Scans httpfsm-server's HTTPS with testssl.sh (Debian package testssl.sh, ci/deps.sh bench):
# a throw-away ECDSA P-256 CA and certificate for 127.0.0.1 made with the openssl command, the
# server on a free port, then every default testssl check. Fails when any finding is rated
# HIGH or CRITICAL; the summary is printed (docs/TLS.md keeps the last one).
#   ci/testssl.sh [path/to/httpfsm-server]   (default build/release/server/httpfsm-server)
set -euo pipefail
server=${1:-build/release/server/httpfsm-server}
scanner=$(command -v testssl || command -v testssl.sh || true)
[[ -n "$scanner" ]] || { echo "testssl.sh is not installed (ci/deps.sh bench)" >&2; exit 2; }
work=$(mktemp -d)
pid=
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

curve=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
openssl req -x509 "${curve[@]}" -days 2 -subj "/CN=httpfsm test CA" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req "${curve[@]}" -subj "/CN=localhost" -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$work/san.cnf"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
  -CAcreateserial -days 2 -extfile "$work/san.cnf" -out "$work/server.pem" 2>/dev/null
chmod 600 "$work/server.key"

"$server" --port 0 --log off --tls-cert "$work/server.pem" --tls-key "$work/server.key" \
  2> "$work/server.err" &
pid=$!
port=
for _ in $(seq 100); do
  port=$(grep -o 'https://127.0.0.1:[0-9]*' "$work/server.err" | head -1 | cut -d: -f3 || true)
  [[ -n "$port" ]] && break
  sleep 0.05
done
[[ -n "$port" ]] || { cat "$work/server.err" >&2; exit 1; }

# --add-ca: the chain is trusted, so trust findings are about the server, not the test CA.
timeout 900 "$scanner" --quiet --color 0 --warnings off --add-ca "$work/ca.pem" \
  --jsonfile "$work/out.json" "https://127.0.0.1:$port/" | tee "$work/out.txt" || true
echo
echo "== findings by severity"
grep -o '"severity" *: *"[A-Z]*"' "$work/out.json" | sed 's/.*"\([A-Z]*\)"$/\1/' | sort | uniq -c
if grep -Eq '"severity" *: *"(HIGH|CRITICAL)"' "$work/out.json"; then
  echo "== HIGH or CRITICAL findings:"
  grep -E -B3 '"severity" *: *"(HIGH|CRITICAL)"' "$work/out.json"
  exit 1
fi
echo "testssl: no finding rated HIGH or CRITICAL"
