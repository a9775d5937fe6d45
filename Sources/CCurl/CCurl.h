// The system libcurl, as one Clang module. Only CCurlShim includes this: Swift code talks to
// libcurl through CCurlShim's typed, non-variadic wrappers.
#include <curl/curl.h>
