import Foundation
import Hummingbird
import Logging
import MetronCore
import MetronStore

/// `metron serve`: the dashboard rendered live from the store, a JSON API over the history, a
/// health check, and `POST /api/runs` for CI machines to upload runs.
///
/// Routes (all JSON unless noted):
/// - `GET /` — the HTML dashboard of the latest run against the baseline (text/html)
/// - `GET /health` — store reachability, version, uptime (503 when the store fails)
/// - `GET /api/runs?limit=N` — run summaries, newest first
/// - `GET /api/runs/latest`, `GET /api/runs/{id}` — a whole run report
/// - `GET /api/benchmarks` — stored benchmark names
/// - `GET /api/history?benchmark=NAME&limit=N` — one benchmark's history, newest first
/// - `GET /api/compare?baseline=REF&current=REF[&allow_different_machines=1]` — a run comparison
///   (REF: baseline name, run id, `latest`; 409 for runs of different machines without consent)
/// - `GET /metrics` — every benchmark's latest headline figures in the Prometheus text format
///   (text/plain; see `MetricsRoute.swift`)
/// - `POST /api/runs` — upload a run report (bearer token; 201, 400, 401, 403, 409, 413)
public struct MetronServer: Sendable {
    public let store: any ResultStore
    public let configuration: ServerConfiguration
    let started = Date()
    let cache = ResponseCache()

    public init(store: any ResultStore, configuration: ServerConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// Serves until SIGINT or SIGTERM (graceful: in-flight requests finish). `onListening`
    /// receives the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try configuration.validate()
        var logger = Logger(label: "metron.serve")
        logger.logLevel = ProcessInfo.processInfo.environment["METRON_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "metron"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        try await app.runService()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: FallbackMiddleware())
        read(router, "/") { request, _ in try await cached(request) { try await dashboardPage() } }
        read(router, "/health") { _, _ in await health().response }
        read(router, "/api/runs") { request, _ in
            let limit = try request.intQuery("limit", default: 50, range: 1...10_000)
            return try await cached(request) { try JSONReply.ok(try await store.runs(limit: limit)) }
        }
        read(router, "/api/runs/:id") { request, context in
            // A baseline name may hold "/" (release/1.2), sent as %2F.
            let raw = try context.parameters.require("id")
            let id = raw.removingPercentEncoding ?? raw
            return try await cached(request) {
                guard let run = try await resolve(id) else { return JSONReply.error(.notFound, "no run '\(id)'") }
                return try JSONReply.ok(run)
            }
        }
        read(router, "/api/benchmarks") { request, _ in try await cached(request) { try JSONReply.ok(try await store.benchmarkNames()) } }
        read(router, "/api/history") { request, _ in
            guard let name = request.query("benchmark"), !name.isEmpty else {
                return JSONReply.error(.badRequest, "the benchmark query parameter is required").response
            }
            let limit = try request.intQuery("limit", default: 100, range: 1...100_000)
            return try await cached(request) {
                let history = try await store.history(benchmark: name, limit: limit)
                if history.isEmpty { return JSONReply.error(.notFound, "no stored results of '\(name)'") }
                return try JSONReply.ok(history)
            }
        }
        read(router, "/api/compare") { request, _ in try await cached(request) { try await compare(request) } }
        read(router, "/metrics") { request, _ in try await cached(request) { try await prometheusMetrics() } }
        router.post("/api/runs") { request, _ in try await upload(request) }
        return router
    }

    /// A read route for GET and for HEAD, which answers with GET's status and headers and no body.
    private func read(_ router: Router<BasicRequestContext>, _ path: RouterPath,
                      _ handler: @Sendable @escaping (Request, BasicRequestContext) async throws -> Response) {
        router.get(path, use: handler)
        router.head(path) { request, context in
            let response = try await handler(request, context)
            return Response(status: response.status, headers: response.headers, body: ResponseBody())
        }
    }

    /// The answer to a read request, from the cache while the store has not changed.
    func cached(_ request: Request, _ compute: () async throws -> Reply) async throws -> Response {
        let key = request.uri.description
        let revision = try await store.revision()
        if let reply = await cache.reply(for: key, at: revision) { return reply.response }
        let reply = try await compute()
        await cache.store(reply, for: key, at: revision)
        return reply.response
    }

    /// A run named as the CLI names it (`ResultStore.run(reference:)`).
    func resolve(_ reference: String) async throws -> RunReport? {
        try await store.run(reference: reference)
    }

    func health() async -> Reply {
        struct Health: Encodable {
            var status: String
            var store: String
            var storeError: String?
            var version: String
            var uptimeSeconds: Double
            var runs: Int?
        }
        var health = Health(status: "ok", store: "reachable", version: MetronVersion.current,
                            uptimeSeconds: Date().timeIntervalSince(started))
        do {
            health.runs = try await store.runCount()
        } catch {
            health.status = "unavailable"
            health.store = "unreachable"
            health.storeError = "\(error)"
        }
        return (try? JSONReply.ok(health, status: health.status == "ok" ? .ok : .serviceUnavailable))
            ?? JSONReply.error(.internalServerError, "cannot encode the health")
    }

    func compare(_ request: Request) async throws -> Reply {
        let baselineReference = request.query("baseline") ?? configuration.baselineName
        let currentReference = request.query("current") ?? "latest"
        guard let baseline = try await resolve(baselineReference) else {
            return JSONReply.error(.notFound, "no baseline or run '\(baselineReference)'")
        }
        guard let current = try await resolve(currentReference) else {
            return JSONReply.error(.notFound, "no run '\(currentReference)'")
        }
        let comparison = RunComparison.compare(baseline: baseline, current: current, bands: configuration.bands)
        // As `metron compare`: times from different machines are not silently compared.
        if comparison.machinesDiffer && request.query("allow_different_machines") != "1" {
            return JSONReply.error(.conflict, "the runs come from different machines; their times are not comparable "
                                      + "(add allow_different_machines=1 to compare anyway)")
        }
        return try JSONReply.ok(comparison)
    }
}
