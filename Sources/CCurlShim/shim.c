#define _GNU_SOURCE
#include "CCurlShim.h"
#include <errno.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

CURLcode tp_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
CURLcode tp_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
CURLcode tp_easy_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
CURLcode tp_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
CURLcode tp_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
CURLcode tp_easy_setopt_share(CURL *h, CURLSH *s) { return curl_easy_setopt(h, CURLOPT_SHARE, s); }
CURLcode tp_easy_setopt_data_callback(CURL *h, CURLoption o, tp_curl_data_callback cb) { return curl_easy_setopt(h, o, cb); }
CURLcode tp_easy_setopt_opensocket_callback(CURL *h, tp_curl_opensocket_callback cb) { return curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, cb); }
CURLcode tp_easy_setopt_closesocket_callback(CURL *h, tp_curl_closesocket_callback cb) { return curl_easy_setopt(h, CURLOPT_CLOSESOCKETFUNCTION, cb); }

CURLcode tp_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
CURLcode tp_easy_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
CURLcode tp_easy_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }

CURLMcode tp_multi_setopt_long(CURLM *h, CURLMoption o, long v) { return curl_multi_setopt(h, o, v); }
CURLMcode tp_multi_setopt_ptr(CURLM *h, CURLMoption o, void *v) { return curl_multi_setopt(h, o, v); }
CURLMcode tp_multi_setopt_socket_callback(CURLM *h, tp_curl_socket_callback cb) { return curl_multi_setopt(h, CURLMOPT_SOCKETFUNCTION, cb); }
CURLMcode tp_multi_setopt_timer_callback(CURLM *h, tp_curl_timer_callback cb) { return curl_multi_setopt(h, CURLMOPT_TIMERFUNCTION, cb); }

CURLSHcode tp_share_setopt_long(CURLSH *h, CURLSHoption o, long v) { return curl_share_setopt(h, o, v); }

int tp_errno(void) { return errno; }

int tp_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int tp_epoll_control(int epoll_fd, int op, int fd, int events) {
    struct epoll_event event = {0};
    if (events & TP_EVENT_IN) event.events |= EPOLLIN;
    if (events & TP_EVENT_OUT) event.events |= EPOLLOUT;
    event.data.fd = fd;
    int operation = op == TP_EPOLL_ADD ? EPOLL_CTL_ADD : (op == TP_EPOLL_MODIFY ? EPOLL_CTL_MOD : EPOLL_CTL_DEL);
    return epoll_ctl(epoll_fd, operation, fd, &event);
}

int tp_epoll_wait(int epoll_fd, int *fds, int *events, int capacity, int timeout_ms) {
    struct epoll_event ready[64];
    if (capacity > 64) capacity = 64;
    int count = epoll_wait(epoll_fd, ready, capacity, timeout_ms);
    for (int i = 0; i < count; i++) {
        fds[i] = ready[i].data.fd;
        int bits = 0;
        if (ready[i].events & EPOLLIN) bits |= TP_EVENT_IN;
        if (ready[i].events & EPOLLOUT) bits |= TP_EVENT_OUT;
        if (ready[i].events & (EPOLLERR | EPOLLHUP)) bits |= TP_EVENT_ERROR;
        events[i] = bits;
    }
    return count;
}

int tp_eventfd_create(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
