// `yike serve` as a process: it prints its address, refuses a port already taken (exit 1), and
// stops cleanly on SIGINT (exit 0).
#include "cli_fixture.hpp"

#include <signal.h>

#include <chrono>
#include <regex>
#include <thread>

namespace {

class ServeTest : public CliTest {};

TEST_F(ServeTest, ServeStopsOnSigintAndRefusesABusyPort) {
    const fs::path err = path("serve.err");
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const std::string redirect = err.string();
        (void)std::freopen(redirect.c_str(), "w", stderr);
        ::execl(yike.c_str(), yike.c_str(), "serve", "--osm", monaco.c_str(), "--standard", "mofcom-15min", "--port", "0",
                static_cast<char*>(nullptr));
        std::_Exit(127);
    }
    std::string port;
    const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)");
    for (int i = 0; i < 1200 && port.empty(); ++i) {
        std::smatch m;
        const std::string text = slurp(err);
        if (std::regex_search(text, m, listening)) port = m[1];
        else std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_FALSE(port.empty()) << slurp(err);

    const auto busy = run("serve --quiet --osm " + monaco + " --standard mofcom-15min --port " + port);
    EXPECT_EQ(busy.exit_code, 1) << busy.err;
    EXPECT_EQ(lines(busy.out), 0); // messages go to stderr
    EXPECT_NE(busy.err.find("cannot listen on 127.0.0.1:" + port), std::string::npos) << busy.err;

    ASSERT_EQ(::kill(pid, SIGINT), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_NE(slurp(err).find("stopped"), std::string::npos) << slurp(err);
}

TEST_F(ServeTest, ServeUsageErrors) {
    EXPECT_EQ(run("serve --port 0").exit_code, 2);                                 // no --osm
    EXPECT_EQ(run("serve --osm " + monaco + " --port 65536").exit_code, 2);        // port out of range
    EXPECT_EQ(run("serve --osm " + monaco + " --out somewhere").exit_code, 2);     // no report is written
}

} // namespace
