// SPDX-License-Identifier: Apache-2.0
#include "platform/metrics/metrics.hpp"

#include <cmath>
#include <charconv>
#include <cstdio>
#include <stdexcept>

namespace medisecure::metrics {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
    for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double v) {
    std::size_t i = 0;
    while (i < bounds_.size() && v > bounds_[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sum_micro_.fetch_add(static_cast<std::uint64_t>(std::llround(std::max(v, 0.0) * 1e6)),
                         std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative() const {
    std::vector<std::uint64_t> out(bounds_.size() + 1);
    std::uint64_t acc = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        acc += buckets_[i].load(std::memory_order_relaxed);
        out[i] = acc;
    }
    return out;
}

double Histogram::sum() const { return static_cast<double>(sum_micro_.load()) / 1e6; }

const std::vector<double>& latency_buckets() {
    static const std::vector<double> b = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                          0.05,   0.1,   0.25,   0.5,   1,    2.5, 5};
    return b;
}

Registry::Family& Registry::family(const std::string& name, const std::string& help, const char* type) {
    auto& f = families_[name];
    if (f.type.empty()) {
        f.type = type;
        f.help = help;
    } else if (f.type != type) {
        throw std::logic_error("metric registered with two types: " + name);
    }
    return f;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const std::string& labels) {
    std::lock_guard lock(mu_);
    auto& slot = family(name, help, "counter").counters[labels];
    if (!slot) slot = std::make_unique<Counter>();
    return *slot;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const std::string& labels) {
    std::lock_guard lock(mu_);
    auto& slot = family(name, help, "gauge").gauges[labels];
    if (!slot) slot = std::make_unique<Gauge>();
    return *slot;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               const std::vector<double>& bounds, const std::string& labels) {
    std::lock_guard lock(mu_);
    auto& slot = family(name, help, "histogram").histograms[labels];
    if (!slot) slot = std::make_unique<Histogram>(bounds);
    return *slot;
}

void Registry::gauge_fn(const std::string& name, const std::string& help, std::function<double()> fn,
                        const std::string& labels) {
    std::lock_guard lock(mu_);
    family(name, help, "gauge").fns[labels] = std::move(fn);
}

void Registry::counter_fn(const std::string& name, const std::string& help, std::function<double()> fn,
                          const std::string& labels) {
    std::lock_guard lock(mu_);
    family(name, help, "counter").fns[labels] = std::move(fn);
}

namespace {
std::string fmt_double(double v) {
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest form that reads back exactly
    return ec == std::errc{} ? std::string(buf, end) : std::string("NaN");
}
std::string series(const std::string& name, const std::string& labels, const std::string& extra = "") {
    std::string l = labels;
    if (!extra.empty()) l += (l.empty() ? "" : ",") + extra;
    return l.empty() ? name : name + "{" + l + "}";
}
}  // namespace

std::string Registry::render() const {
    std::lock_guard lock(mu_);
    std::string out;
    out.reserve(16384);
    for (const auto& [name, f] : families_) {
        out += "# HELP " + name + " " + f.help + "\n# TYPE " + name + " " + f.type + "\n";
        for (const auto& [labels, c] : f.counters)
            out += series(name, labels) + " " + std::to_string(c->value()) + "\n";
        for (const auto& [labels, g] : f.gauges)
            out += series(name, labels) + " " + std::to_string(g->value()) + "\n";
        for (const auto& [labels, fn] : f.fns) out += series(name, labels) + " " + fmt_double(fn()) + "\n";
        for (const auto& [labels, h] : f.histograms) {
            auto cum = h->cumulative();
            for (std::size_t i = 0; i < h->bounds().size(); ++i)
                out += series(name + "_bucket", labels, "le=\"" + fmt_double(h->bounds()[i]) + "\"") +
                       " " + std::to_string(cum[i]) + "\n";
            out += series(name + "_bucket", labels, "le=\"+Inf\"") + " " + std::to_string(cum.back()) + "\n";
            out += series(name + "_sum", labels) + " " + fmt_double(h->sum()) + "\n";
            out += series(name + "_count", labels) + " " + std::to_string(h->count()) + "\n";
        }
    }
    return out;
}

std::string label_value(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

}  // namespace medisecure::metrics
