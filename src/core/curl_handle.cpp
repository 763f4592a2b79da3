#include "curl_handle.hpp"

#include <mutex>

#include "error.hpp"

namespace spojscore {

void curl_global_init_once() {
    static std::once_flag once;
    static CURLcode result = CURLE_OK;
    std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (result != CURLE_OK)
        throw Error(ErrorKind::Internal,
                    std::string("curl_global_init failed: ") + curl_easy_strerror(result));
}

CurlEasy make_curl_easy() {
    curl_global_init_once();
    CurlEasy easy(curl_easy_init());
    if (!easy) throw Error(ErrorKind::Internal, "curl_easy_init failed");
    return easy;
}

CurlMulti make_curl_multi() {
    curl_global_init_once();
    CurlMulti multi(curl_multi_init());
    if (!multi) throw Error(ErrorKind::Internal, "curl_multi_init failed");
    return multi;
}

}  // namespace spojscore

#include "no_postgres.hpp"
