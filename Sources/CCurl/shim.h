#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

/* libcurl is loaded with dlopen on the first request instead of being linked: it brings some thirty shared
   libraries (TLS, Kerberos, LDAP…) whose loading cost more than half of an offline `ddbstack lint`, which never
   makes a request. Every libcurl function ddbstack calls goes through this table.
   curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed wrapper per kind. */
typedef struct {
    int loaded;
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} ddb_curl_api;

/* The table lives in a function: Swift's importer emits the inline functions of a header, not its static variables. */
static inline ddb_curl_api *ddb_curl_table(void) {
    static ddb_curl_api table;
    return &table;
}

static inline void ddb_curl_load_once(void) {
    ddb_curl_api *api = ddb_curl_table();
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) library = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
    if (!library) return;
    ddb_curl_api *const ddb = api;
    ddb->global_init = (CURLcode (*)(long))dlsym(library, "curl_global_init");
    ddb->easy_init = (CURL *(*)(void))dlsym(library, "curl_easy_init");
    ddb->easy_cleanup = (void (*)(CURL *))dlsym(library, "curl_easy_cleanup");
    ddb->easy_reset = (void (*)(CURL *))dlsym(library, "curl_easy_reset");
    ddb->easy_perform = (CURLcode (*)(CURL *))dlsym(library, "curl_easy_perform");
    ddb->easy_strerror = (const char *(*)(CURLcode))dlsym(library, "curl_easy_strerror");
    ddb->easy_setopt = (CURLcode (*)(CURL *, CURLoption, ...))dlsym(library, "curl_easy_setopt");
    ddb->easy_getinfo = (CURLcode (*)(CURL *, CURLINFO, ...))dlsym(library, "curl_easy_getinfo");
    ddb->slist_append = (struct curl_slist *(*)(struct curl_slist *, const char *))dlsym(library, "curl_slist_append");
    ddb->slist_free_all = (void (*)(struct curl_slist *))dlsym(library, "curl_slist_free_all");
    ddb->loaded = ddb->global_init && ddb->easy_init && ddb->easy_cleanup && ddb->easy_reset && ddb->easy_perform
        && ddb->easy_strerror && ddb->easy_setopt && ddb->easy_getinfo && ddb->slist_append && ddb->slist_free_all;
}

/* Loads libcurl once and initialises it; 0 when it is not installed (libcurl4) or not usable. */
static inline int ddb_curl_load(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, ddb_curl_load_once);
    return ddb_curl_table()->loaded && ddb_curl_table()->global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

static inline CURL *ddb_curl_easy_init(void) { return ddb_curl_table()->loaded ? ddb_curl_table()->easy_init() : NULL; }
static inline void ddb_curl_easy_cleanup(CURL *curl) { ddb_curl_table()->easy_cleanup(curl); }
static inline void ddb_curl_easy_reset(CURL *curl) { ddb_curl_table()->easy_reset(curl); }
static inline CURLcode ddb_curl_easy_perform(CURL *curl) { return ddb_curl_table()->easy_perform(curl); }
static inline const char *ddb_curl_easy_strerror(CURLcode code) { return ddb_curl_table()->easy_strerror(code); }
static inline struct curl_slist *ddb_curl_slist_append(struct curl_slist *list, const char *line) { return ddb_curl_table()->slist_append(list, line); }
static inline void ddb_curl_slist_free_all(struct curl_slist *list) { ddb_curl_table()->slist_free_all(list); }

static inline CURLcode ddb_curl_setopt_long(CURL *curl, CURLoption option, long value) {
    return ddb_curl_table()->easy_setopt(curl, option, value);
}
static inline CURLcode ddb_curl_setopt_string(CURL *curl, CURLoption option, const char *value) {
    return ddb_curl_table()->easy_setopt(curl, option, value);
}
static inline CURLcode ddb_curl_setopt_pointer(CURL *curl, CURLoption option, void *value) {
    return ddb_curl_table()->easy_setopt(curl, option, value);
}
typedef size_t (*ddb_curl_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode ddb_curl_setopt_callback(CURL *curl, CURLoption option, ddb_curl_callback callback) {
    return ddb_curl_table()->easy_setopt(curl, option, callback);
}
static inline CURLcode ddb_curl_getinfo_long(CURL *curl, CURLINFO info, long *value) {
    return ddb_curl_table()->easy_getinfo(curl, info, value);
}
