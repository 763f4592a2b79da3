// Starts test/fixture/spojfix.py as a child process and reads its port; used by the unit
// tests (through spojfix_server.hpp) and the crawl benchmark. No gtest here.
#pragma once
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace spojfix {

class Process {
public:
    // `script`: a fixture under test/fixture/ taking --port-file and --idle-exit.
    explicit Process(std::string script = "spojfix.py") : script_(std::move(script)) {}
    ~Process() { stop(); }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    // Spawns the server (SPOJSCORE_SOURCE_DIR from the environment, else the compile-time
    // source dir) and waits up to 10 s for its port file.
    void start() {
        const char* source = std::getenv("SPOJSCORE_SOURCE_DIR");
        std::string script = std::string(source ? source : SPOJSCORE_SOURCE_DIR) + "/test/fixture/" + script_;
        char dir[] = "/tmp/spojfix.XXXXXX";
        if (!mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
        dir_ = dir;
        std::vector<std::string> args = {"/usr/bin/python3", script, "--port-file", port_file(), "--idle-exit", "120"};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
            pid_ = 0;
            throw std::runtime_error("cannot start " + script);
        }
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            std::ifstream in(port_file());
            if (in >> port_ && port_ > 0) return;
            port_ = 0;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        throw std::runtime_error(script_ + " did not write its port file");
    }

    void stop() noexcept {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            waitpid(pid_, nullptr, 0);
            pid_ = 0;
        }
        if (!dir_.empty()) {
            std::remove(port_file().c_str());
            rmdir(dir_.c_str());
            dir_.clear();
        }
        port_ = 0;
    }

    int port() const { return port_; }

    // Every number in the port file (a fixture with several listeners writes them all).
    std::vector<int> ports() const {
        std::vector<int> out;
        std::ifstream in(port_file());
        for (int p; in >> p;) out.push_back(p);
        return out;
    }

private:
    std::string port_file() const { return dir_ + "/port"; }

    std::string script_;
    pid_t pid_ = 0;
    int port_ = 0;
    std::string dir_;
};

}  // namespace spojfix
