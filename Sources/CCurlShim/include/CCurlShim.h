// Typed, non-variadic wrappers over libcurl's variadic setopt/getinfo calls.
//
// Swift cannot call C variadic functions, so every curl_*_setopt / curl_easy_getinfo use goes
// through one wrapper per argument type here, the way swift-corelibs-foundation's
// _CFURLSessionInterface does. Each wrapper is one line and adds no behaviour.
#ifndef TIDEPOOL_CCURLSHIM_H
#define TIDEPOOL_CCURLSHIM_H

#include <curl/curl.h>

// Callback signatures, named so Swift sees them as @convention(c) function types.
typedef size_t (*tp_curl_data_callback)(char *data, size_t size, size_t count, void *userdata);
typedef curl_socket_t (*tp_curl_opensocket_callback)(void *clientp, curlsocktype purpose,
                                                     struct curl_sockaddr *address);
typedef int (*tp_curl_closesocket_callback)(void *clientp, curl_socket_t socket);
typedef int (*tp_curl_xferinfo_callback)(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
                                         curl_off_t ultotal, curl_off_t ulnow);

CURLcode tp_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode tp_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode tp_easy_setopt_ptr(CURL *handle, CURLoption option, void *value);
CURLcode tp_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode tp_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode tp_easy_setopt_share(CURL *handle, CURLSH *share);
CURLcode tp_easy_setopt_data_callback(CURL *handle, CURLoption option, tp_curl_data_callback cb);
CURLcode tp_easy_setopt_opensocket_callback(CURL *handle, tp_curl_opensocket_callback cb);
CURLcode tp_easy_setopt_closesocket_callback(CURL *handle, tp_curl_closesocket_callback cb);
CURLcode tp_easy_setopt_xferinfo_callback(CURL *handle, tp_curl_xferinfo_callback cb);

CURLcode tp_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode tp_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode tp_easy_getinfo_ptr(CURL *handle, CURLINFO info, void **value);
CURLcode tp_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value);

CURLMcode tp_multi_setopt_long(CURLM *handle, CURLMoption option, long value);

CURLSHcode tp_share_setopt_long(CURLSH *handle, CURLSHoption option, long value);

/// The errno value of the calling thread, for socket callbacks that must report why a
/// socket() call failed.
int tp_errno(void);

#endif
