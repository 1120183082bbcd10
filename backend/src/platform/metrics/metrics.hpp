// SPDX-License-Identifier: Apache-2.0
// Prometheus metrics. Series are created once (under a lock) and then updated lock-free on the
// hot path; render() produces the text exposition format for /metrics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace medisecure::metrics {

class Counter {
public:
    void inc(std::uint64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return v_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> v_{0};
};

class Gauge {
public:
    void set(std::int64_t v) { v_.store(v, std::memory_order_relaxed); }
    void add(std::int64_t d) { v_.fetch_add(d, std::memory_order_relaxed); }
    std::int64_t value() const { return v_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> v_{0};
};

class Histogram {
public:
    explicit Histogram(std::vector<double> bounds);
    void observe(double v);
    const std::vector<double>& bounds() const { return bounds_; }
    std::vector<std::uint64_t> cumulative() const;
    double sum() const;
    std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
    std::atomic<std::uint64_t> count_{0};
    std::atomic<std::uint64_t> sum_micro_{0};  // sum in millionths, to stay lock-free
};

/// Latency buckets for HTTP requests, in seconds.
const std::vector<double>& latency_buckets();

class Registry {
public:
    /// `labels` is the rendered label set without braces, e.g. `route="/x",method="GET"`.
    Counter& counter(const std::string& name, const std::string& help, const std::string& labels = "");
    Gauge& gauge(const std::string& name, const std::string& help, const std::string& labels = "");
    Histogram& histogram(const std::string& name, const std::string& help,
                         const std::vector<double>& bounds, const std::string& labels = "");
    /// A counter kept elsewhere (it only grows) and read at scrape time.
    void counter_fn(const std::string& name, const std::string& help, std::function<double()> fn,
                    const std::string& labels = "");
    /// A gauge read at scrape time.
    void gauge_fn(const std::string& name, const std::string& help, std::function<double()> fn,
                  const std::string& labels = "");
    std::string render() const;

private:
    struct Family {
        std::string help;
        std::string type;
        std::map<std::string, std::unique_ptr<Counter>> counters;
        std::map<std::string, std::unique_ptr<Gauge>> gauges;
        std::map<std::string, std::unique_ptr<Histogram>> histograms;
        std::map<std::string, std::function<double()>> fns;
    };
    Family& family(const std::string& name, const std::string& help, const char* type);
    mutable std::mutex mu_;
    std::map<std::string, Family> families_;
};

/// Escapes a label value for the exposition format.
std::string label_value(std::string_view v);

}  // namespace medisecure::metrics
