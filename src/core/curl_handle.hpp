// Move-only owners for libcurl handles, so every exit path (error, cancel) frees them.
#pragma once
#include <curl/curl.h>

#include <memory>

namespace spojscore {

struct CurlEasyDeleter {
    void operator()(CURL* easy) const noexcept { curl_easy_cleanup(easy); }
};
struct CurlMultiDeleter {
    void operator()(CURLM* multi) const noexcept { curl_multi_cleanup(multi); }
};
struct CurlSlistDeleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// curl_global_init exactly once per process. Never cleaned up: other code in the same
// process (a PostgreSQL backend) may use libcurl too. Throws Error(Internal) on failure.
void curl_global_init_once();

// New handles; throw Error(Internal) when libcurl cannot allocate one.
CurlEasy make_curl_easy();
CurlMulti make_curl_multi();

}  // namespace spojscore
