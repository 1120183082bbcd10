// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "platform/metrics/metrics.hpp"

using namespace medisecure::metrics;

TEST(Metrics, RendersPrometheusTextFormat) {
    Registry r;
    r.counter("x_total", "X things", "route=\"/a\"").inc(3);
    r.gauge("g", "A gauge").set(-2);
    auto& h = r.histogram("lat_seconds", "Latency", {0.1, 1}, "route=\"/a\"");
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    r.gauge_fn("fn", "Computed", [] { return 1.5; });
    r.counter_fn("kept_total", "Counted elsewhere", [] { return 42; });
    auto text = r.render();
    EXPECT_NE(text.find("# TYPE kept_total counter\nkept_total 42\n"), std::string::npos);
    EXPECT_NE(text.find("# TYPE fn gauge\n"), std::string::npos);
    EXPECT_NE(text.find("# TYPE x_total counter\nx_total{route=\"/a\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("g -2\n"), std::string::npos);
    EXPECT_NE(text.find("lat_seconds_bucket{route=\"/a\",le=\"0.1\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("lat_seconds_bucket{route=\"/a\",le=\"1\"} 2\n"), std::string::npos);
    EXPECT_NE(text.find("lat_seconds_bucket{route=\"/a\",le=\"+Inf\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("lat_seconds_count{route=\"/a\"} 3\n"), std::string::npos);
    EXPECT_NE(text.find("fn 1.5\n"), std::string::npos);
    EXPECT_THROW(r.gauge("x_total", "clash"), std::logic_error);
}
