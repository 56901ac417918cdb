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

/* Swift cannot call function-like macros; each static inline below stands in for one. */

static inline long fieldnote_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}

static inline long fieldnote_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_max_proto_version(ctx, version);
}

static inline int fieldnote_TLS1_3_VERSION(void) { return TLS1_3_VERSION; }

#endif
