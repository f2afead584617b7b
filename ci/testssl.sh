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
openssl req -x509 "${curve[@]}" -days 365 -subj "/CN=httpfsm test CA" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req "${curve[@]}" -subj "/CN=localhost" -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$work/san.cnf"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
  -CAcreateserial -days 365 -extfile "$work/san.cnf" -out "$work/server.pem" 2>/dev/null
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
echo "== findings rated LOW or above"
python3 - "$work/out.json" <<'PY'
import json, sys
for f in json.load(open(sys.argv[1])):
    if f.get("severity") in ("LOW", "MEDIUM", "HIGH", "CRITICAL"):
        print(f'{f["severity"]:8} {f["id"]}: {f["finding"]}')
PY
# Findings about the throw-away test certificate rather than the server, each with its reason:
#   cert_revocation: a test CA publishes no CRL or OCSP responder.
not_the_server='"id" *: *"(cert_revocation)"'
high=$(grep -E -B3 '"severity" *: *"(HIGH|CRITICAL)"' "$work/out.json" | grep -E '"id"' |
  grep -Ev "$not_the_server" || true)
if [[ -n "$high" ]]; then
  echo "== HIGH or CRITICAL findings:"
  echo "$high"
  exit 1
fi
grep -E -B3 '"severity" *: *"(HIGH|CRITICAL)"' "$work/out.json" | grep -E "$not_the_server" |
  sed 's/^/== rated HIGH, about the test certificate: /' || true
echo "testssl: no finding rated HIGH or CRITICAL"
