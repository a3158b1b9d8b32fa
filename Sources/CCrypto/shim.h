#include <dlfcn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stddef.h>

/* libcrypto is loaded with dlopen on the first digest instead of being linked: loading it and binding its symbols
   cost about a millisecond of every run, and an offline command (lint, show, diff) never signs or hashes anything.
   The three functions ddbstack calls go through this table. */
typedef struct {
    int loaded;
    int (*digest)(const void *, size_t, unsigned char *, unsigned int *, const EVP_MD *, ENGINE *);
    const EVP_MD *(*sha256)(void);
    unsigned char *(*hmac)(const EVP_MD *, const void *, int, const unsigned char *, size_t, unsigned char *,
                           unsigned int *);
} ddb_crypto_api;

/* The table lives in a function: Swift's importer emits the inline functions of a header, not its static variables. */
static inline ddb_crypto_api *ddb_crypto_table(void) {
    static ddb_crypto_api table;
    return &table;
}

static inline void ddb_crypto_load_once(void) {
    ddb_crypto_api *api = ddb_crypto_table();
    void *library = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!library) library = dlopen("libcrypto.so", RTLD_NOW | RTLD_LOCAL);
    if (!library) return;
    api->digest = (int (*)(const void *, size_t, unsigned char *, unsigned int *, const EVP_MD *, ENGINE *))dlsym(
        library, "EVP_Digest");
    api->sha256 = (const EVP_MD *(*)(void))dlsym(library, "EVP_sha256");
    api->hmac = (unsigned char *(*)(const EVP_MD *, const void *, int, const unsigned char *, size_t, unsigned char *,
                                    unsigned int *))dlsym(library, "HMAC");
    api->loaded = api->digest && api->sha256 && api->hmac;
}

/* Loads libcrypto once; 0 when it is not installed (libssl3) or lacks a function. */
static inline int ddb_crypto_load(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, ddb_crypto_load_once);
    return ddb_crypto_table()->loaded;
}

/* SHA-256 of `count` bytes into `output` (32 bytes); 0 when libcrypto is not loaded or fails. */
static inline int ddb_sha256(const void *data, size_t count, unsigned char *output) {
    if (!ddb_crypto_load()) return 0;
    ddb_crypto_api *api = ddb_crypto_table();
    unsigned int length = 0;
    return api->digest(data, count, output, &length, api->sha256(), NULL) == 1 && length == 32;
}

/* HMAC-SHA256 of `count` bytes with `key` into `output` (32 bytes); 0 when libcrypto is not loaded or fails. */
static inline int ddb_hmac_sha256(const void *key, int keyLength, const unsigned char *data, size_t count,
                                  unsigned char *output) {
    if (!ddb_crypto_load()) return 0;
    ddb_crypto_api *api = ddb_crypto_table();
    unsigned int length = 0;
    return api->hmac(api->sha256(), key, keyLength, data, count, output, &length) != NULL && length == 32;
}
