import Foundation
import Hummingbird
import MetronCore
import MetronReport

extension MetronServer {
    /// The latest run against the baseline. Rendering assembles history, bootstrap intervals and
    /// charts — far too slow to repeat per request, hence the response cache in front of it.
    func dashboardPage() async throws -> Reply {
        guard let latest = try await store.runs(limit: 1).first else {
            return html(Self.emptyPage)
        }
        let baseline = try await store.baseline(name: configuration.baselineName)
        guard let run = try await store.run(id: latest.id) else { return JSONReply.error(.notFound, "run vanished") }
        var base: RunReport?
        if let baseline { base = try await store.run(id: baseline.runID) }
        var data = ReportData.assemble(
            run: run, baseline: base, baselineName: configuration.baselineName,
            history: try await store.runs(before: run, limit: configuration.historyRuns),
            budgets: configuration.budgets, bands: configuration.bands, suite: nil, profiles: configuration.profiles(),
            title: "Metron dashboard", generatedAt: Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970))
        data.profileDiffs = configuration.profileDiffs(Set(data.regressions.map { BenchmarkKey.of(name: $0.benchmark, parameters: $0.parameters) }))
        return html(HTMLReport.render(data))
    }

    func html(_ text: String) -> Reply {
        Reply(status: .ok, contentType: "text/html; charset=utf-8", body: ByteBuffer(string: text))
    }

    static let emptyPage = """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Metron dashboard</title>
        <style>body{font:16px system-ui,sans-serif;margin:4rem auto;max-width:40rem;color:#222}code{background:#eee;padding:.1em .3em}</style>
        </head><body><h1>Metron dashboard</h1><p>No runs stored yet. Run <code>metron run</code> against this store,
        or upload one: <code>curl -H "Authorization: Bearer $METRON_TOKEN" --data-binary @run.json http://HOST/api/runs</code>.</p></body></html>
        """
}
