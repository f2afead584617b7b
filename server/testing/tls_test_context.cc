#include "testing/tls_test_context.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "testing/test_site.hpp"

namespace httpfsm::server::testing {
namespace {

bool write_pem(const std::string& path, X509* cert, EVP_PKEY* key) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return false;
  const int ok = cert != nullptr
                     ? PEM_write_X509(f, cert)
                     : PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  return std::fclose(f) == 0 && ok == 1;
}

std::shared_ptr<TlsContext> make() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600L * 24 * 365);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  static TempDir dir;
  const std::string cert_file = dir.file("cert.pem");
  const std::string key_file = dir.file("key.pem");
  const bool written = write_pem(cert_file, cert, nullptr) && write_pem(key_file, nullptr, key);
  ::chmod(key_file.c_str(), 0600);
  X509_free(cert);
  EVP_PKEY_free(key);
  std::string error = "cannot write the test certificate";
  std::string warning;
  std::shared_ptr<TlsContext> ctx;
  if (written) ctx = TlsContext::load(cert_file, key_file, &error, &warning);
  if (!ctx) {
    std::fprintf(stderr, "test_tls_context: %s\n", error.c_str());
    std::abort();
  }
  return ctx;
}

}  // namespace

std::shared_ptr<TlsContext> test_tls_context() {
  static const std::shared_ptr<TlsContext> ctx = make();
  return ctx;
}

}  // namespace httpfsm::server::testing
