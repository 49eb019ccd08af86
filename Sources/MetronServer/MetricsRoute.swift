import Hummingbird
import MetronCore
import MetronStore
import Prometheus

extension MetronServer {
    /// How many stored results of one benchmark name are read to find the latest of each of its
    /// parameter sets.
    static let metricsHistoryDepth = 1_000

    /// `GET /metrics`: for every stored benchmark instance (name and parameters), the figures of
    /// its latest stored result, as Prometheus gauges, so Grafana and the like chart the history
    /// by scraping. Gauges, labelled `benchmark` and `parameters` (`n=10,mode=fast`, empty
    /// without):
    /// - `metron_wall_time_seconds{statistic="mean|median|stddev|p95|p99|min|max"}` — only the
    ///   statistics the result has (an imported summary may lack some);
    /// - `metron_benchmark_samples` — the samples behind them;
    /// - `metron_benchmark_ok` — 1 when the result's status is ok, else 0;
    /// - `metron_benchmark_timestamp_seconds` — when its run started (Unix time), so a stale
    ///   benchmark can be told from a steady one;
    /// - `metron_info{version}` — always 1.
    /// Built afresh from the store for each new store revision (the response cache), never from
    /// state kept in the server.
    func prometheusMetrics() async throws -> Reply {
        let registry = PrometheusCollectorRegistry()
        registry.makeGauge(descriptor: Self.gauge("info", help: "The Metron version serving these metrics."),
                           labels: [("version", MetronVersion.current)]).set(1.0)
        for name in try await store.benchmarkNames() {
            var seen: Set<String> = []
            // The store gives the newest `limit` results oldest first.
            for entry in try await store.history(benchmark: name, limit: Self.metricsHistoryDepth).reversed() where seen.insert(entry.parametersKey).inserted {
                let labels = [("benchmark", name), ("parameters", entry.parametersKey)]
                let statistics: [(String, Double?)] = [("mean", entry.mean), ("median", entry.median), ("stddev", entry.stddev),
                                                       ("p95", entry.p95), ("p99", entry.p99), ("min", entry.min), ("max", entry.max)]
                for (statistic, value) in statistics {
                    guard let value, value.isFinite else { continue }
                    registry.makeGauge(descriptor: Self.gauge("wall_time", unit: "seconds", help: "Wall time of the benchmark's latest stored result, by statistic."),
                                       labels: labels + [("statistic", statistic)]).set(value)
                }
                registry.makeGauge(descriptor: Self.gauge("benchmark_samples", help: "Samples in the benchmark's latest stored result."), labels: labels).set(Double(entry.count))
                registry.makeGauge(descriptor: Self.gauge("benchmark_ok", help: "1 when the benchmark's latest stored result succeeded, else 0."), labels: labels).set(entry.status == .ok ? 1.0 : 0.0)
                registry.makeGauge(descriptor: Self.gauge("benchmark_timestamp", unit: "seconds",
                                                      help: "Start of the run that holds the benchmark's latest stored result (Unix time)."), labels: labels)
                    .set(entry.startedAt.secondsSinceEpoch)
            }
        }
        return Reply(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: ByteBuffer(bytes: registry.emitToBuffer()))
    }

    /// A gauge's name: `metron_NAME` or `metron_NAME_UNIT`.
    private static func gauge(_ name: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "metron", metricName: name, unitName: unit, helpText: help)
    }
}
