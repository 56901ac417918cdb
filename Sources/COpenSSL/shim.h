#ifndef FIELDNOTE_COPENSSL_SHIM_H
#define FIELDNOTE_COPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/kdf.h>

/* Swift cannot call function-like macros; each static inline below stands in for one. */

static inline long fieldnote_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}

static inline long fieldnote_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_max_proto_version(ctx, version);
}

static inline int fieldnote_TLS1_3_VERSION(void) { return TLS1_3_VERSION; }

/* SHA-256 of one buffer without EVP: sync hashes every op it receives twice, and in OpenSSL 3
   each EVP digest call looks its algorithm up again, which cost more than the hashing. The
   low-level functions are deprecated in OpenSSL 3 but still use the same SHA-NI code. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
static inline void fieldnote_sha256(const void *data, size_t length, unsigned char *digest) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, length);
    SHA256_Final(digest, &context);
}
#pragma clang diagnostic pop

#endif
