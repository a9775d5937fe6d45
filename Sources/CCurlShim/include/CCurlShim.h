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

CURLcode tp_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode tp_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode tp_easy_setopt_ptr(CURL *handle, CURLoption option, void *value);
CURLcode tp_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode tp_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode tp_easy_setopt_share(CURL *handle, CURLSH *share);
CURLcode tp_easy_setopt_data_callback(CURL *handle, CURLoption option, tp_curl_data_callback cb);
CURLcode tp_easy_setopt_opensocket_callback(CURL *handle, tp_curl_opensocket_callback cb);
CURLcode tp_easy_setopt_closesocket_callback(CURL *handle, tp_curl_closesocket_callback cb);

CURLcode tp_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode tp_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode tp_easy_getinfo_ptr(CURL *handle, CURLINFO info, void **value);

typedef int (*tp_curl_socket_callback)(CURL *easy, curl_socket_t socket, int what, void *userp,
                                       void *socketp);
typedef int (*tp_curl_timer_callback)(CURLM *multi, long timeout_ms, void *userp);

CURLMcode tp_multi_setopt_long(CURLM *handle, CURLMoption option, long value);
CURLMcode tp_multi_setopt_ptr(CURLM *handle, CURLMoption option, void *value);
CURLMcode tp_multi_setopt_socket_callback(CURLM *handle, tp_curl_socket_callback cb);
CURLMcode tp_multi_setopt_timer_callback(CURLM *handle, tp_curl_timer_callback cb);

CURLSHcode tp_share_setopt_long(CURLSH *handle, CURLSHoption option, long value);

// The network thread's event wait. epoll and eventfd are not in Swift's Glibc module, and
// struct epoll_event is packed on x86_64, so these wrappers take and return plain ints.

/// Readiness bits passed to and returned from the epoll wrappers.
enum { TP_EVENT_IN = 1, TP_EVENT_OUT = 2, TP_EVENT_ERROR = 4 };
/// epoll_ctl operations, as the `op` argument of tp_epoll_control.
enum { TP_EPOLL_ADD = 0, TP_EPOLL_MODIFY = 1, TP_EPOLL_REMOVE = 2 };
/// epoll_create1(EPOLL_CLOEXEC).
int tp_epoll_create(void);
/// Adds, changes or removes (TP_EPOLL_*) `fd` with TP_EVENT_* interest bits; 0 or -1 (errno).
int tp_epoll_control(int epoll_fd, int op, int fd, int events);
/// epoll_wait: fills `fds` and `events` (TP_EVENT_* bits) with up to `capacity` (at most 64)
/// entries; returns their count, or -1 with errno set.
int tp_epoll_wait(int epoll_fd, int *fds, int *events, int capacity, int timeout_ms);
/// eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC): the wake-up other threads write to.
int tp_eventfd_create(void);

/// The errno value of the calling thread, for socket callbacks that must report why a
/// socket() call failed.
int tp_errno(void);

#endif
