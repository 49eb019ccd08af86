import ArgumentParser
import Foundation
import MetronExec
import MetronServer

/// `metron serve`: the live dashboard, JSON API and upload endpoint over the store.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the live dashboard, a JSON API and run uploads over HTTP.",
        discussion: """
            GET / (dashboard), /health, /api/runs, /api/runs/{id|latest}, /api/benchmarks, \
            /api/history?benchmark=NAME, /api/compare?baseline=REF&current=REF; \
            POST /api/runs uploads a run's JSON with 'Authorization: Bearer $METRON_TOKEN'. \
            Without METRON_TOKEN uploads are refused, and only a loopback address may be used. \
            SIGINT or SIGTERM stops it gracefully.
            """)

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: [.short, .long], help: "Port (0: any free port, printed at start).")
    var port: Int = 8050

    @Option(name: [.short, .long], help: "Suite file whose budgets and bands the dashboard uses (optional).")
    var config: String = "metron.yml"

    @Option(name: [.short, .long], help: "Baseline the dashboard compares the latest run with.")
    var baseline: String = "main"

    @Option(help: "Largest accepted upload, in MiB.")
    var maxUploadMib: Int = 64

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        // Shifted into bytes, a limit beyond 2^43 MiB would overflow.
        guard maxUploadMib > 0, maxUploadMib <= 1 << 20 else {
            throw ValidationError("--max-upload-mib must be a whole number from 1 to 1048576 (1 TiB), got \(maxUploadMib)")
        }
    }

    func run() async throws {
        let (budgets, bands) = try GateInputs.budgets(config: config, suite: nil, required: false)
        var configuration = ServerConfiguration(
            host: host, port: port, token: ProcessInfo.processInfo.environment["METRON_TOKEN"],
            maxUploadBytes: maxUploadMib << 20, budgets: budgets, bands: bands, baselineName: baseline)
        // Profiles stored by metron profile in this directory, as recommend and report read them.
        configuration.profiles = { ProfileIndex.latest() }
        configuration.profileDiffs = { ProfileIndex.diffs(for: $0) }
        do {
            try configuration.validate()
        } catch {
            throw UsageFailure(error.description)
        }
        let location = try storeOptions.location
        let store = try await storeOptions.open()
        let server = MetronServer(store: store, configuration: configuration)
        let host = self.host
        let uploads = configuration.token == nil ? "disabled: no METRON_TOKEN" : "need the bearer token"
        do {
            try await server.run { port in
                let shown = host.contains(":") ? "[\(host)]" : host
                print("Metron dashboard on http://\(shown):\(port)/ (store: \(location); uploads \(uploads))")
                fflush(nil)
            }
        } catch {
            try? await store.close()
            throw UsageFailure("cannot serve on \(host):\(port): \(error)")
        }
        try? await store.close()
        print("Stopped.")
    }
}
