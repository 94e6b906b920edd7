#ifndef CWHARF_CRYPTO_SHIM_H
#define CWHARF_CRYPTO_SHIM_H

// Only the EVP message-digest interface is used: it picks the fastest implementation
// the CPU offers (SHA-NI, AVX2) at run time, which is what `openssl speed -evp` measures.
#include <openssl/evp.h>

#endif
