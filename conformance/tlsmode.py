"""The suite's HTTPS run (HTTPFSM_TLS=1, set by conformance/CMakeLists.txt for the
`conformance.tls.*` tests): every httpfsm-server the fixtures start gets --tls-cert/--tls-key
for a certificate made at test time with the `openssl` command (an ECDSA P-256 CA and a
server certificate for 127.0.0.1 and localhost), rawhttp wraps its sockets in TLS trusting
that CA, and `requests` verifies against it (REQUESTS_CA_BUNDLE).

CLEARTEXT_ONLY lists the cases that are cleartext by nature, each with its reason; in the
TLS run they are deselected by name and the run prints the list, so nothing is skipped
silently."""

import atexit
import base64
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
from pathlib import Path

ENABLED = os.environ.get("HTTPFSM_TLS", "") == "1"

# "file.py::test_name" (every parameter of it), or "file.py" (every test in it: such a file
# gets no TLS ctest, conformance/CMakeLists.txt) -> why it cannot run over TLS.
CLEARTEXT_ONLY = {
    "test_limits.py::test_max_connections_503":
        "the 503 for a connection over --max-connections is written before any request; over "
        "TLS there is no channel before a handshake, which the server does not spend on a "
        "connection it refuses: it closes it at accept (test_tls.py checks the close)",
    "test_reliability.py::test_descriptor_exhaustion_answers_everyone_and_does_not_spin":
        "the same 503 written at accept, out of descriptors; the no-spin half is the "
        "listener's and does not depend on TLS",
}

# Ports of servers that speak TLS (filled by serverproc from the "listening on https://" line).
TLS_PORTS = set()

_material = None


def make_certificates(directory, names=("localhost",), ips=("127.0.0.1",), prefix=""):
    """An ECDSA P-256 CA and a server certificate signed by it in `directory`: returns
    (ca.pem, server.pem, server.key) paths. `prefix` names a second set (reload tests)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    ca_key, ca, key, csr, cert, ext = (d / f"{prefix}{n}" for n in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem", "san.cnf"))
    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    run = lambda *a: subprocess.run(["openssl", *a], check=True, capture_output=True, timeout=30)
    run("req", "-x509", *curve, "-days", "2", "-subj", f"/CN={prefix}httpfsm test CA", "-keyout", str(ca_key), "-out", str(ca))
    run("req", *curve, "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(csr))
    san = ",".join([f"DNS:{n}" for n in names] + [f"IP:{i}" for i in ips])
    ext.write_text(f"subjectAltName={san}\n")
    run("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial", "-days", "2", "-extfile", str(ext), "-out", str(cert))
    os.chmod(key, 0o600)
    return ca, cert, key


def material():
    """(ca, cert, key) for this test process, made once."""
    global _material
    if _material is None:
        d = tempfile.mkdtemp(prefix="httpfsm-tls-")
        atexit.register(shutil.rmtree, d, True)
        _material = make_certificates(d)
    return _material


def server_flags():
    _, cert, key = material()
    return ["--tls-cert", str(cert), "--tls-key", str(key)]


def client_context(ca=None):
    ctx = ssl.create_default_context(cafile=str(ca or material()[0]))
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


def wrap(sock, port):
    """`sock` wrapped in TLS (handshake done) when `port` is a TLS server's, else as it is."""
    if port not in TLS_PORTS:
        return sock
    return client_context().wrap_socket(sock, server_hostname="127.0.0.1")


def connect(port, timeout):
    """A TCP connection to 127.0.0.1:port, in TLS when the server there speaks it (the raw
    WebSocket clients: ws:// over TCP, wss:// over TLS, RFC 6455 §3)."""
    return wrap(socket.create_connection(("127.0.0.1", port), timeout=timeout), port)


def curl_flags(port):
    """curl's flags to trust the test CA when `port` is a TLS server's, else none."""
    return ["--cacert", str(material()[0])] if port in TLS_PORTS else []


def ws_scheme(port):
    """RFC 6455 §3: wss for a TLS server, ws otherwise."""
    return "wss" if port in TLS_PORTS else "ws"


def spki_hash(cert=None):
    """base64(SHA-256(SubjectPublicKeyInfo)) of the server certificate, made with the `openssl`
    command: what Chromium's --ignore-certificate-errors-spki-list takes."""
    run = lambda argv, data: subprocess.run(["openssl", *argv], input=data, check=True, capture_output=True,
                                            timeout=30).stdout
    pub = run(["x509", "-pubkey", "-noout", "-in", str(cert or material()[1])], None)
    der = run(["pkey", "-pubin", "-outform", "der"], pub)
    return base64.b64encode(run(["dgst", "-sha256", "-binary"], der)).decode()


def chromium_flags(port):
    """Chromium's flags for a TLS server on `port`, else none. Headless Chromium reads no CA file
    of ours (it trusts its NSS database), so it is told to accept this one server key by its
    SPKI hash: certificate errors for any other key still fail. Chromium honours the flag only
    with --user-data-dir, which the tests give."""
    return [f"--ignore-certificate-errors-spki-list={spki_hash()}"] if port in TLS_PORTS else []
