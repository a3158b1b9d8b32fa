#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed wrapper per kind. */
static inline CURLcode ddb_curl_setopt_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode ddb_curl_setopt_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode ddb_curl_setopt_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}
typedef size_t (*ddb_curl_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode ddb_curl_setopt_callback(CURL *curl, CURLoption option, ddb_curl_callback callback) {
    return curl_easy_setopt(curl, option, callback);
}
static inline CURLcode ddb_curl_getinfo_long(CURL *curl, CURLINFO info, long *value) {
    return curl_easy_getinfo(curl, info, value);
}
